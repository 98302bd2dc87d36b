/**
 * Text as real portals send it (real-portal-notes §1, from the server's Text::parse and the web
 * client's Text.decode) shown as Bitrix's own notification centre shows it: entities decoded once
 * and strictly, mentions linked, timestamps as dates, icons by their title, the module's answer
 * as plain text, and never anything turned into markup.
 */
import { describe, expect, it } from 'vitest';
import { parseNotifyPage } from '../../main/core/notifications/model';
import { decodeEntities, htmlToPlain, renderPlain, renderRich, type RichNode } from '../../main/core/text/bbcode';

const PORTAL = 'https://acme.bitrix24.com';

function textOf(nodes: RichNode[]): string {
  return nodes
    .map((node) => ('text' in node ? node.text : node.type === 'break' ? '\n' : 'children' in node ? textOf(node.children) : node.type === 'timestamp' ? `<time ${node.ms}>` : ''))
    .join('');
}

describe('entities, as the official client decodes them', () => {
  it('decodes what the server leaves in text: quotes, apostrophes, dashes, guillemets, and &amp;quot; once', () => {
    const text = 'Invitation to group &quot;Marketing &#039;Q4&#039;&quot; &mdash; &laquo;now&raquo; &amp;quot;';
    expect(renderPlain(text)).toBe('Invitation to group "Marketing \'Q4\'" — «now» &quot;');
    expect(textOf(renderRich(text, PORTAL))).toBe('Invitation to group "Marketing \'Q4\'" — «now» &quot;');
  });

  it('decodes strictly: a URL with &copy= or &notify= stays as it is, in text and in link targets', () => {
    expect(decodeEntities('?a=1&copy=2&notify=3')).toBe('?a=1&copy=2&notify=3');
    expect(renderPlain('see https://x.example/?a=1&copy=2&notify=3')).toBe('see https://x.example/?a=1&copy=2&notify=3');
    const [link] = renderRich('[URL=https://acme.bitrix24.com/crm/?id=1&amp;copy=2]Deal &laquo;A&raquo;[/URL]', PORTAL);
    expect(link).toEqual({ type: 'link', href: 'https://acme.bitrix24.com/crm/?id=1&copy=2', children: [{ type: 'text', text: 'Deal «A»' }] });
  });

  it('keeps a literal <b> as visible text', () => {
    expect(renderPlain('AT&amp;T &lt;b&gt;Q4&lt;/b&gt;')).toBe('AT&T <b>Q4</b>');
    expect(textOf(renderRich('AT&T <b>Q4</b>', PORTAL))).toBe('AT&T <b>Q4</b>');
  });

  it('titles, button labels and author names go through the same strict decoder', () => {
    const [item] = parseNotifyPage({
      notifications: [
        {
          id: 9,
          notify_type: 1,
          author_id: 3,
          date: '2026-03-03T12:00:00+03:00',
          notify_title: 'Join &quot;Q4&quot; &amp; more ?a=1&copy=2',
          text: 'x',
          notify_buttons: JSON.stringify([{ TEXT: 'Accept &laquo;now&raquo;', COMMAND_PARAMS: '9|Y', BG_COLOR: '#8bc84b' }]),
        },
      ],
      users: [{ id: 3, name: 'Anna &quot;A&quot; O&#039;Neil' }],
    }).items;
    expect(item?.title).toBe('Join "Q4" & more ?a=1&copy=2');
    expect(item?.buttons[0]?.label).toBe('Accept «now»');
    expect(item?.author?.name).toBe('Anna "A" O\'Neil');
  });
});

describe('tags real portals send', () => {
  it('keeps the link to the person in [USER=5 REPLACE] and shows [USER=all] as a mention', () => {
    const nodes = renderRich('[USER=5 REPLACE]Anna &quot;A&quot;[/USER] and [USER=all]everyone[/USER]', PORTAL);
    expect(nodes[0]).toEqual({ type: 'mention', userId: 5, href: `${PORTAL}/company/personal/user/5/`, children: [{ type: 'text', text: 'Anna "A"' }] });
    expect(nodes[2]).toEqual({ type: 'mention', userId: 0, href: undefined, children: [{ type: 'text', text: 'everyone' }] });
  });

  it('shows [TIMESTAMP=<unix> FORMAT=…] as a date', () => {
    const nodes = renderRich('due [TIMESTAMP=1764936000 FORMAT=j F Y] ok', PORTAL);
    expect(nodes).toContainEqual({ type: 'timestamp', ms: 1764936000 * 1000 });
    expect(renderPlain('due [TIMESTAMP=1764936000 FORMAT=j F Y] ok')).toMatch(/^due \d{1,2} \w{3} 2025, \d{2}:\d{2} ok$/);
  });

  it('keeps the visible text of [ICON=… title=…], [PUT], [SEND], [CALL] and an http:// link the server prefixed', () => {
    expect(renderPlain('[ICON=https://x.example/i.png title=Deal won] [PUT=/rest/x]Do it[/PUT] [SEND=hi]Say hi[/SEND] [CALL=123]Call[/CALL]')).toBe('Deal won Do it Say hi Call');
    expect(textOf(renderRich('[URL=http://example.com]http://example.com[/URL]', PORTAL))).toBe('http://example.com');
    // Only https opens: the http link stays text.
    expect(renderRich('[URL=http://example.com]http://example.com[/URL]', PORTAL)).toEqual([{ type: 'text', text: 'http://example.com' }]);
  });

  it('reads an old on-premise build’s raw <br> as a line break', () => {
    expect(renderPlain('line one<br>line two<br />three')).toBe('line one\nline two\nthree');
  });
});

describe('the portal’s answer after a button', () => {
  it('is plain text: <br> a line break, tags dropped, entities decoded', () => {
    expect(htmlToPlain('You joined <b>&quot;Marketing&quot;</b>.<br>See <a href="https://x">the group</a> &mdash; <span style="x">now</span>')).toBe(
      'You joined "Marketing".\nSee the group — now',
    );
  });
});
