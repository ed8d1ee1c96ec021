/**
 * `serve --scenario` names a scenario the page can draw, or is refused before
 * anything is served — never silently shows another.
 */
import { describe, expect, it } from 'vitest';
import { scenarios } from '../registry.ts';
import { captureIo } from './capture.ts';
import { main } from './main.ts';

const drawable = scenarios.filter((s) => s.drawable).map((s) => s.name);
const notDrawable = scenarios.filter((s) => !s.drawable).map((s) => s.name);

describe('serve --scenario', () => {
  it('a scenario too big to draw is refused, pointing to `run` and listing the drawable ones (exit 2)', async () => {
    expect(notDrawable).toContain('hot-loop');
    const io = captureIo();
    expect(await main(['serve', '--port', '0', '--scenario', 'hot-loop'], io)).toBe(2);
    const text = io.stderr.text();
    expect(text).toContain("refheap-lab: the page cannot show 'hot-loop': it makes too many objects to draw (run it in the terminal: refheap-lab run hot-loop).");
    expect(text).toContain(`The scenarios the page draws are:\n${drawable.map((n) => `  ${n}`).join('\n')}\n`);
    for (const name of notDrawable) expect(text).not.toContain(`  ${name}\n`);
    expect(io.stdout.text()).toBe('');
  });
  it('an unknown name suggests the nearest drawable one', async () => {
    const io = captureIo();
    expect(await main(['serve', '--port', '0', '--scenario', 'a-b-cylce'], io)).toBe(2);
    expect(io.stderr.text()).toContain("refheap-lab: there is no scenario called 'a-b-cylce'. Did you mean 'a-b-cycle'?");
    expect(io.stderr.text()).toContain('The scenarios the page draws are:\n  refcount\n');
  });
  it('a name close to none is refused without a guess', async () => {
    const io = captureIo();
    expect(await main(['serve', '--port', '0', '--scenario', 'zzzzzzzzzz'], io)).toBe(2);
    expect(io.stderr.text()).toContain("there is no scenario called 'zzzzzzzzzz'.\n");
  });
});
