/**
 * A program in the page's address: `#code=` and the source as base64url of its UTF-8, so a
 * teacher can send a link; `#example=NAME` and `#scenario=NAME` name a program the page ships
 * (a bare `#NAME`, as `refheap-lab serve --scenario` writes it, is a scenario too).
 */
export type Wanted = { readonly kind: 'code'; readonly source: string } | { readonly kind: 'example' | 'scenario'; readonly name: string } | null;

export function encodeSource(source: string): string {
  const bytes = new TextEncoder().encode(source);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeSource(encoded: string): string {
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

export function shareHash(source: string): string {
  return `#code=${encodeSource(source)}`;
}

/** What the address asks for; a `#code=` that does not decode is reported, not guessed at. */
export function readHash(hash: string): Wanted {
  const fragment = hash.replace(/^#/, '');
  if (fragment === '') return null;
  const [key, ...rest] = fragment.split('=');
  const value = decodeURIComponent(rest.join('='));
  if (key === 'code') return { kind: 'code', source: decodeSource(rest.join('=')) };
  if (key === 'example' || key === 'scenario') return { kind: key, name: value };
  return rest.length === 0 ? { kind: 'scenario', name: decodeURIComponent(fragment) } : null;
}
