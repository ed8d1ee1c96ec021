/**
 * The headers every response carries, so the page cannot be framed, sniffed
 * into another type, or made to run script it did not ship.
 *
 * The policy allows what the built page was seen to need in Chromium (every
 * control pressed, every program run, no violation reported) and no more:
 * - script-src 'self': Vite's bundled modules only — no inline script, no eval. The page
 *   compiles no WebAssembly (the graph is laid out in TypeScript, not by @viz-js/viz);
 *   add 'wasm-unsafe-eval' here if it ever does.
 * - style-src 'self' 'unsafe-inline' with style-src-attr 'none': the bundled stylesheet and the
 *   <style> elements CodeMirror 6 injects (style-mod; Chromium blocks them without it), but no
 *   style="" attributes — the page sets styles through the CSSOM, which CSP does not govern.
 * - img-src 'self' data:: the page's `data:,` favicon.
 * - connect-src and worker-src 'self': same-origin only, the scripts' own trust.
 * - frame-ancestors 'none' (and X-Frame-Options for older browsers), base-uri and form-action 'none'.
 */
export const CONTENT_SECURITY_POLICY: string = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "style-src-attr 'none'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
