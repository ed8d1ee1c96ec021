/** What a request's target becomes: segments under the site, or the reason it is a bad request. */
import { describe, expect, it } from 'vitest';
import { requestPath } from './request-path.ts';

describe('requestPath', () => {
  it('decodes the path, drops the query and the empty and "." segments', () => {
    expect(requestPath('/')).toEqual({ ok: true, segments: [] });
    expect(requestPath('/assets/index-1.js?v=2#x')).toEqual({ ok: true, segments: ['assets', 'index-1.js'] });
    expect(requestPath('/a%20b//./c')).toEqual({ ok: true, segments: ['a b', 'c'] });
    expect(requestPath('/caf%C3%A9.txt')).toEqual({ ok: true, segments: ['café.txt'] });
  });
  it('malformed percent-encoding is a reason, not an exception', () => {
    for (const target of ['/%zz', '/%', '/assets/%ff', '/%E0%A4%A', '/%c0%af']) {
      expect(requestPath(target)).toEqual({ ok: false, reason: 'the path has malformed percent-encoding' });
    }
  });
  it('"..", encoded or not, NUL and backslash are refused', () => {
    expect(requestPath('/..%2f..%2fetc/passwd')).toEqual({ ok: false, reason: "the path contains '..'" });
    expect(requestPath('/a/../../b')).toEqual({ ok: false, reason: "the path contains '..'" });
    expect(requestPath('/%2e%2e')).toEqual({ ok: false, reason: "the path contains '..'" });
    expect(requestPath('/x%00.html')).toEqual({ ok: false, reason: 'the path contains a NUL character' });
    expect(requestPath('/..%5cwindows')).toEqual({ ok: false, reason: 'the path contains a backslash' });
    expect(requestPath('/a..b/..c')).toEqual({ ok: true, segments: ['a..b', '..c'] });
  });
  it('a target that is not a path is refused', () => {
    for (const target of [undefined, '*', 'http://evil.example/', '']) {
      expect(requestPath(target)).toEqual({ ok: false, reason: 'the request target is not a path' });
    }
  });
});
