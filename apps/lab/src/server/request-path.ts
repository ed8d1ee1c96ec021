/**
 * The path a request asks for, as segments under the site's root — or why it
 * cannot be served: not a path at all, malformed percent-encoding (which makes
 * decodeURIComponent throw), a NUL or a backslash, or a `..` that would climb
 * out of the root. All of these are the client's fault, so they become 400.
 */
export type RequestPath = { readonly ok: true; readonly segments: readonly string[] } | { readonly ok: false; readonly reason: string };

export function requestPath(rawUrl: string | undefined): RequestPath {
  // Only origin-form ("/path?query"): an absolute URL or "*" is not something a static page is asked for.
  if (rawUrl === undefined || !rawUrl.startsWith('/')) return { ok: false, reason: 'the request target is not a path' };
  const end = rawUrl.search(/[?#]/);
  const encoded = end === -1 ? rawUrl : rawUrl.slice(0, end);
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return { ok: false, reason: 'the path has malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, reason: 'the path contains a NUL character' };
  if (decoded.includes('\\')) return { ok: false, reason: 'the path contains a backslash' };
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { ok: false, reason: "the path contains '..'" };
  return { ok: true, segments };
}
