/**
 * What each Bitrix24 BBCode tag means, in the window (renderRich) and in an OS popup
 * (renderPlain): the tags real notifications carry (bitrix24-notify-api §1.1, real-portal-notes §1:
 * [BR], [B]/[I]/[U]/[S], [QUOTE], [CODE], [URL], [USER=id REPLACE], [USER=all], [TIMESTAMP=unix
 * FORMAT=…], [ICON=url title=…], [COLOR], [CHAT]/[SEND]) and the raw HTML old on-premise builds send.
 * Written from what a user should see; mutation testing (npm run test:mutation) found them missing.
 */
import { describe, expect, it } from 'vitest';
import { capText, htmlToPlain, renderPlain, renderRich, resolvePortalLink, type RichNode } from '../../main/core/text/bbcode';

const PORTAL = 'https://acme.bitrix24.com';
const text = (value: string): RichNode => ({ type: 'text', text: value });

describe('tags in the window', () => {
  it('[BR] is a line break', () => {
    expect(renderRich('first[BR]second', PORTAL)).toEqual([text('first'), { type: 'break' }, text('second')]);
  });

  it('[B], [I], [U], [S] and [QUOTE] style what they hold, in either case, nested', () => {
    expect(renderRich('[B]b[/B][i]i[/i][U]u[/U][s]s[/s][QUOTE]q[/QUOTE]', PORTAL)).toEqual([
      { type: 'bold', children: [text('b')] },
      { type: 'italic', children: [text('i')] },
      { type: 'underline', children: [text('u')] },
      { type: 'strike', children: [text('s')] },
      { type: 'quote', children: [text('q')] },
    ]);
    expect(renderRich('[b]a [i]b[/i][/b]', PORTAL)).toEqual([{ type: 'bold', children: [text('a '), { type: 'italic', children: [text('b')] }] }]);
  });

  it('[CODE] shows its content as code, between ordinary text', () => {
    expect(renderRich('Run [CODE]npm test[/CODE] now', PORTAL)).toEqual([text('Run '), { type: 'code', text: 'npm test' }, text(' now')]);
  });

  it('keeps 24 levels of nesting and flattens the rest to text', () => {
    const nested = `${'[b]'.repeat(30)}x${'[/b]'.repeat(30)}`;
    let levels = 0;
    let nodes = renderRich(nested, PORTAL);
    while (nodes.length === 1 && nodes[0]!.type === 'bold') {
      levels += 1;
      nodes = (nodes[0] as { children: RichNode[] }).children;
    }
    expect(levels).toBe(24);
    expect(nodes).toEqual([text('x')]);
  });

  it('[URL] without a label shows its address; entities in the address are decoded once', () => {
    expect(renderRich('[URL=/p/][/URL]', PORTAL)).toEqual([{ type: 'link', href: `${PORTAL}/p/`, children: [text(`${PORTAL}/p/`)] }]);
    expect(renderRich('[URL=/find?a=1&amp;b=2]search[/URL]', PORTAL)).toEqual([{ type: 'link', href: `${PORTAL}/find?a=1&b=2`, children: [text('search')] }]);
  });

  it('[USER=id] is a mention of that user (the leading digits: [USER=15 REPLACE]); [USER=all] of everyone', () => {
    expect(renderRich('[USER=15 REPLACE]Anna[/USER]', PORTAL)).toEqual([
      { type: 'mention', userId: 15, href: `${PORTAL}/company/personal/user/15/`, children: [text('Anna')] },
    ]);
    expect(renderRich('[USER= 7 ]Bo[/USER]', PORTAL)).toMatchObject([{ type: 'mention', userId: 7 }]);
    expect(renderRich('[USER=all]Everyone[/USER]', PORTAL)).toEqual([{ type: 'mention', userId: 0, href: undefined, children: [text('Everyone')] }]);
  });

  it('[USER] that names nobody is plain text: 0, not a number, digits later on, a word starting with "all"', () => {
    for (const attr of ['0', 'abc', 'x5', 'allison', 'xall']) expect(renderRich(`[USER=${attr}]Name[/USER]`, PORTAL)).toEqual([text('Name')]);
  });

  it('[TIMESTAMP] is a moment the window formats; one that is not a time shows nothing', () => {
    expect(renderRich('at [TIMESTAMP=1733400000 FORMAT=SHORT]', PORTAL)).toEqual([text('at '), { type: 'timestamp', ms: 1_733_400_000_000 }]);
    expect(renderRich('at [TIMESTAMP=soon 1733400000]', PORTAL)).toEqual([text('at ')]);
  });

  it('[ICON] shows its title (decoded), never its image; without a title, nothing', () => {
    expect(renderRich('[ICON=https://cdn.example/fire.png title=Fire &amp; ice] hot', PORTAL)).toEqual([text('Fire & ice hot')]);
    expect(renderRich('[ICON=https://cdn.example/fire.png]hot', PORTAL)).toEqual([text('hot')]);
  });

  it('[CHAT], [SEND] and unknown tags keep what they say; only [COLOR] colours', () => {
    expect(renderRich('[CHAT=12]Team[/CHAT] [SEND=ok]Reply[/SEND] [WHATEVER]x[/WHATEVER]', PORTAL)).toEqual([text('Team Reply x')]);
    expect(renderRich('[FONT=red]plain[/FONT]', PORTAL)).toEqual([text('plain')]);
  });

  it('raw HTML from old on-premise builds: <br> breaks, <a href> links (either quote), other tags dropped', () => {
    expect(renderRich(`Hello<BR/><a class="x" href='/a' target=_blank>there</a> <b>now</b>`, PORTAL)).toEqual([
      text('Hello'),
      { type: 'break' },
      { type: 'link', href: `${PORTAL}/a`, children: [text('there')] },
      text(' now'),
    ]);
  });
});

describe('tags in a popup', () => {
  it('[BR] and #BR# are newlines; Windows and old Mac line ends become newlines; spaces around them go', () => {
    expect(renderPlain('a[BR]b#BR#c\r\nd\re  \n  f')).toBe('a\nb\nc\nd\ne\nf');
  });

  it('[TIMESTAMP] as a date anyone can read, [ICON] as its title', () => {
    expect(renderPlain('Due [TIMESTAMP=1733400000 FORMAT=x] [ICON=https://cdn.example/i.png title=Deadline]')).toMatch(/^Due 5 Dec 2024, \d\d:\d\d Deadline$/);
    expect(renderPlain('Due [TIMESTAMP=never]')).toBe('Due');
  });

  it('raw HTML from old builds: <br> a newline, link labels kept, tags dropped', () => {
    expect(renderPlain('Hello<br><a href="https://x.example/a">link</a> <span class="y">and</span> <b>bold</b>')).toBe('Hello\nlink and bold');
  });
});

describe('cutting text to fit', () => {
  it('leaves text of exactly the cap alone, and emoji that fit in code points though not in UTF-16 units', () => {
    expect(capText('abcde', 5)).toBe('abcde');
    expect(capText('😀😀😀', 3)).toBe('😀😀😀');
    expect(capText('abcdef', 5)).toBe('abcd…');
  });

  it('does not leave a space before the ellipsis', () => {
    expect(capText('abc defgh', 5)).toBe('abc…');
  });
});

describe('the portal’s answer as plain text (htmlToPlain)', () => {
  it('<br> in any form is a newline, tags go, entities are decoded, trailing spaces before a newline go', () => {
    expect(htmlToPlain('You joined <b>Sales &amp; Co</b>.  <BR>See <a href="/x">the group</a><br/>Bye<br >!')).toBe('You joined Sales & Co.\nSee the group\nBye\n!');
    expect(htmlToPlain('  <p> Done </p>\n')).toBe('Done');
  });
});

describe('which links survive', () => {
  it('http only to the portal itself when it is a loopback address, never a host that starts like one', () => {
    expect(resolvePortalLink('/x/', 'http://localhost:8080')).toBe('http://localhost:8080/x/');
    expect(resolvePortalLink('/x/', 'http://[::1]:8080')).toBe('http://[::1]:8080/x/');
    for (const portal of ['http://127.0.0.1.nip.io', 'http://localhost.example.com', 'http://intranet.example']) {
      expect(resolvePortalLink('/x/', portal), portal).toBeUndefined();
    }
  });

  it('an address that cannot be parsed is no link', () => {
    expect(resolvePortalLink('https://x.example:99999/', PORTAL)).toBeUndefined(); // no such port
    expect(renderRich('[URL=https://x.example:99999/]label[/URL]', PORTAL)).toEqual([text('label')]);
  });
});
