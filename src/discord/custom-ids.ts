/**
 * Button ids carry everything a click needs (Discord allows 100 characters), so buttons keep
 * working after a restart: nothing is looked up in process memory.
 */
const MAX_CUSTOM_ID = 100;

export interface MoreResultsId {
  kind: 'more';
  /** The index version that produced the page; a click after a re-index that changed it is refused. */
  indexVersion: string;
  offset: number;
  k: number;
  /** Position of the `source` filter among the version's sorted sources, or null for all. */
  sourceIndex: number | null;
}

export interface PassageId {
  kind: 'passage';
  passageId: number;
}

export interface SourcesPageId {
  kind: 'sources';
  page: number;
}

export type ButtonId = MoreResultsId | PassageId | SourcesPageId;

export function encodeButtonId(id: ButtonId): string {
  const encoded = (() => {
    switch (id.kind) {
      case 'more':
        return ['more', id.indexVersion, id.offset, id.k, id.sourceIndex ?? '-'].join(':');
      case 'passage':
        return `passage:${id.passageId}`;
      case 'sources':
        return `sources:${id.page}`;
    }
  })();
  if (encoded.length > MAX_CUSTOM_ID) throw new Error(`custom id longer than ${MAX_CUSTOM_ID} characters: ${encoded}`);
  return encoded;
}

const WHOLE = /^\d{1,9}$/;

/** The button a custom id names, or null for ids this bot did not make. */
export function decodeButtonId(customId: string): ButtonId | null {
  const [kind, ...parts] = customId.split(':');
  if (kind === 'passage' && parts.length === 1 && WHOLE.test(parts[0]!)) return { kind, passageId: Number(parts[0]) };
  if (kind === 'sources' && parts.length === 1 && WHOLE.test(parts[0]!)) return { kind, page: Number(parts[0]) };
  if (kind === 'more' && parts.length === 4) {
    const [indexVersion, offset, k, source] = parts as [string, string, string, string];
    if (!/^[\w.-]+$/.test(indexVersion) || !WHOLE.test(offset) || !WHOLE.test(k) || !(source === '-' || WHOLE.test(source))) {
      return null;
    }
    return { kind, indexVersion, offset: Number(offset), k: Number(k), sourceIndex: source === '-' ? null : Number(source) };
  }
  return null;
}
