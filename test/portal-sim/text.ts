/**
 * Notification text as the portal stores and returns it (§1.1, §1.3): BBCode-flavoured text with
 * "\n" line breaks, never HTML.
 */

const MESSAGE_LIMIT_CHARS = 20_000;

/** CIMMessenger::Add: line-break markers become "\n", trim, cut at 20,000 characters + " (...)". */
export function prepareStoredMessage(message: string): string {
  const withBreaks = message.replace(/\[BR\]|\[br\]|#BR#/g, '\n').trim();
  const chars = [...withBreaks];
  return chars.length > MESSAGE_LIMIT_CHARS + 6 ? `${chars.slice(0, MESSAGE_LIMIT_CHARS).join('')} (...)` : withBreaks;
}

/** A compact Text::convertHtmlToBbCode: the tags modules actually send. */
function convertHtmlToBbCode(html: string): string {
  let text = html.replace(/&nbsp;/g, ' ').replace(/<hr>/g, '------[BR]').replace(/#BR#/g, '[BR]');
  const simpleTag = /<([busi])[^>a-z]*>(.+?)<\/(\1)[^>a-z]*>/isu;
  while (simpleTag.test(text)) text = text.replace(simpleTag, '[$1]$2[/$1]');
  return text
    .replace(/<br\s*\/*>/giu, '[br]')
    .replace(/<a[^>]+href\s*=\s*('|")(.+?)\1[^>]*>(.*?)<\/a[^>]*>/gisu, '[url=$2]$3[/url]')
    .replace(/<a[^>]+href(\s*=\s*)([^'">]+)>(.*?)<\/a[^>]*>/gisu, '[url=$2]$3[/url]');
}

/** The entity and marker replacements at the end of Text::parse (im/lib/text.php). */
const PARSE_REPLACEMENTS: [RegExp, string][] = [
  [/<br \/>|#BR#|\[br\]|\[BR\]/g, '\n'],
  [/&#169;/g, '(c)'],
  [/&#153;/g, '(tm)'],
  [/&#174;/g, '(r)'],
  [/&nbsp;/g, ' '],
  [/&quot;/g, '"'],
  [/&#092;/g, '\\'],
  [/&#036;/g, '$'],
  [/&#33;/g, '!'],
  [/&#91;/g, '['],
  [/&#93;/g, ']'],
  [/&#39;/g, "'"],
  [/&lt;/g, '<'],
  [/&gt;/g, '>'],
  [/&#124;/g, '|'],
  [/&amp;/g, '&'],
];

/** Looks up a user's full name for an empty mention (User::getFullName). */
export type UserNameLookup = (userId: number) => string;

/**
 * Text::parse's pre-pass (im/lib/text.php, parse): an empty mention `[USER=5][/USER]` becomes
 * `[USER=5 REPLACE]Full Name[/USER]` (modifyShortUserTag).
 */
function modifyShortUserTags(text: string, fullName: UserNameLookup): string {
  return text.replace(/\[USER=([0-9]+)\]\[\/USER\]/gi, (_match, id: string) => `[USER=${id} REPLACE]${fullName(Number(id))}[/USER]`);
}

/**
 * A compact model of CTextParser::convertText with ANCHOR and TEXT_ANCHOR allowed and
 * anchorType 'bbcode' (im/lib/text.php, parse; main/classes/general/textparser.php): a link target
 * without a scheme gets "http://" (so a module's `[URL=example.com]` arrives as
 * `[URL=http://example.com]`), and a bare address in the text is wrapped in `[URL=…]…[/URL]`.
 */
function convertAnchors(text: string): string {
  const withSchemes = text.replace(/\[URL=([^\]]+)\]/gi, (_match, target: string) =>
    /^[a-z][a-z0-9+.-]*:/i.test(target.trim()) || target.trim().startsWith('/') ? `[URL=${target}]` : `[URL=http://${target.trim()}]`,
  );
  // Split on existing [URL]…[/URL] spans so their labels and targets are not wrapped twice.
  return withSchemes
    .split(/(\[URL(?:=[^\]]*)?\][\s\S]*?\[\/URL\])/i)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(/(^|[\s(>])((?:https?:\/\/|www\.)[^\s<>"'[\]]+[^\s<>"'[\].,;:!?)])/gi, (_m, lead: string, url: string) => {
            const target = url.toLowerCase().startsWith('www.') ? `http://${url}` : url;
            return `${lead}[URL=${target}]${url}[/URL]`;
          }),
    )
    .join('');
}

/** Text::parse(Text::convertHtmlToBbCode($message)) as done by im.notify.get. */
export function renderNotificationText(storedMessage: string, fullName: UserNameLookup = (id) => `User ${id}`): string {
  let text = convertAnchors(modifyShortUserTags(convertHtmlToBbCode(storedMessage), fullName));
  for (const [pattern, replacement] of PARSE_REPLACEMENTS) text = text.replace(pattern, replacement);
  return text;
}
