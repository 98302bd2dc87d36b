import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { capText, decodeEntities, renderPlain, renderRich, resolvePortalLink, type RichNode } from '../../main/core/text/bbcode';

const PORTAL = 'https://acme.bitrix24.com';

describe('renderPlain (OS popups)', () => {
  it('drops markup and keeps what the tags say', () => {
    expect(
      renderPlain('You are invited to join group [URL=/workgroups/group/12/]Marketing[/URL] by [USER=5]John Smith[/USER][BR]Please [b]answer[/b]'),
    ).toBe('You are invited to join group Marketing by John Smith\nPlease answer');
  });

  it('handles quotes, code, colours, chats, unknown and unclosed tags', () => {
    // An unclosed tag is the parser's call (kept as text or dropped); its content always survives.
    expect(renderPlain('[QUOTE]hi[/QUOTE] [CODE]a<b[/CODE] [color=#f00]red[/color] [CHAT=12]Team[/CHAT] [ICON=x]i[/ICON] [b]open')).toMatch(
      /^hi a<b red Team i (\[b\])?open$/,
    );
  });

  it('collapses runs of blank lines and spaces, and treats #BR# as a break', () => {
    expect(renderPlain('a   b\n\n\n\n c#BR#d')).toBe('a b\n\nc\nd');
  });

  it('caps long text with an ellipsis without splitting an emoji', () => {
    const text = renderPlain('😀'.repeat(400), 10);
    expect(Array.from(text)).toHaveLength(10);
    expect(text.endsWith('…')).toBe(true);
    expect(capText('short', 10)).toBe('short');
  });
});

describe('renderRich (tray window)', () => {
  it('builds a tree of safe nodes with links resolved against the portal', () => {
    expect(renderRich('Join [URL=/workgroups/group/12/]Marketing[/URL] with [USER=5]John[/USER]\nnow', PORTAL)).toEqual<RichNode[]>([
      { type: 'text', text: 'Join ' },
      { type: 'link', href: `${PORTAL}/workgroups/group/12/`, children: [{ type: 'text', text: 'Marketing' }] },
      { type: 'text', text: ' with ' },
      { type: 'mention', userId: 5, href: `${PORTAL}/company/personal/user/5/`, children: [{ type: 'text', text: 'John' }] },
      { type: 'break' },
      { type: 'text', text: 'now' },
    ]);
  });

  it('keeps only https links; javascript:, data:, file: and http links become plain text', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>x</script>', 'file:///etc/passwd', 'http://evil.example.com/']) {
      expect(renderRich(`[URL=${href}]click[/URL]`, PORTAL)).toEqual([{ type: 'text', text: 'click' }]);
    }
    expect(renderRich('[URL]https://example.com/x[/URL]', PORTAL)).toEqual([
      { type: 'link', href: 'https://example.com/x', children: [{ type: 'text', text: 'https://example.com/x' }] },
    ]);
  });

  it('keeps markup-looking text as text (the window never parses it as HTML)', () => {
    expect(renderRich('<script>alert(1)</script><img src=x onerror=alert(1)>', PORTAL)).toEqual([
      { type: 'text', text: '<script>alert(1)</script><img src=x onerror=alert(1)>' },
    ]);
  });

  it('accepts only simple colours', () => {
    expect(renderRich('[color=#ff0000]a[/color][color=red;background:url(x)]b[/color]', PORTAL)).toEqual([
      { type: 'color', color: '#ff0000', children: [{ type: 'text', text: 'a' }] },
      { type: 'text', text: 'b' },
    ]);
  });

  it('flattens absurdly deep nesting instead of recursing without bound', () => {
    const deep = `${'[b]'.repeat(5000)}x${'[/b]'.repeat(5000)}`;
    expect(() => renderRich(deep, PORTAL)).not.toThrow();
    expect(renderPlain(deep)).toBe('x');
  });

  it('never throws and never yields a non-https link, whatever the input', () => {
    const bbish = fc.stringMatching(/^(\[\/?(b|i|u|s|url|URL|user|USER|color|code|quote|br|BR|x)(=[^\]]{0,12})?\]|[a-z <>":/.#=\n])*$/);
    fc.assert(
      fc.property(bbish, (text) => {
        const walk = (nodes: RichNode[]): void => {
          for (const node of nodes) {
            if (node.type === 'link') expect(node.href.startsWith('https://')).toBe(true);
            if ('children' in node) walk(node.children);
          }
        };
        walk(renderRich(text, PORTAL));
        renderPlain(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('links and entities', () => {
  it('allows http only to a loopback portal itself', () => {
    expect(resolvePortalLink('/x/', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/x/');
    expect(resolvePortalLink('http://127.0.0.1:9999/x/', 'http://127.0.0.1:8080')).toBeUndefined();
    expect(resolvePortalLink('', PORTAL)).toBeUndefined();
  });

  it('decodes the entities the server escapes in titles and labels', () => {
    expect(decodeEntities('Invitation to &quot;Sales &amp; Co&quot; &lt;b&gt; &#039;x&#039;')).toBe('Invitation to "Sales & Co" <b> \'x\'');
  });
});
