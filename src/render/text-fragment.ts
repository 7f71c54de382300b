// A text directive names its words in percent-encoding, with '-', ',' and '&' encoded too:
// they delimit the directive's parts. Parentheses are encoded as well, so the link can stand in
// a Markdown link, whose target they would end.
function encodeTextDirective(text: string): string {
  return percentEncode(encodeURIComponent(text), /[-()]/g);
}

/** `text` with the (ASCII) characters `pattern` matches percent-encoded, which URLs read as the same. */
export function percentEncode(text: string, pattern: RegExp): string {
  return text.replace(pattern, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Above this many words, the fragment names the first and last few (`text=start,end`). */
const WHOLE_UP_TO_WORDS = 8;
const EDGE_WORDS = 4;

/**
 * `url` extended so a browser scrolls to `words` and highlights them: a URL text fragment
 * (`#:~:text=…`, WICG scroll-to-text-fragment). Where the page's text differs, the browser just
 * opens the page, so nothing is lost by trying.
 */
export function linkToWords(url: string, words: string): string {
  const tokens = words.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return url;
  const directive =
    tokens.length <= WHOLE_UP_TO_WORDS
      ? encodeTextDirective(tokens.join(' '))
      : `${encodeTextDirective(tokens.slice(0, EDGE_WORDS).join(' '))},${encodeTextDirective(tokens.slice(-EDGE_WORDS).join(' '))}`;
  // After an existing fragment the directive follows it, after other directives it is one more;
  // without a fragment it starts one.
  if (url.includes(':~:')) return `${url}&text=${directive}`;
  return `${url}${url.includes('#') ? '' : '#'}:~:text=${directive}`;
}
