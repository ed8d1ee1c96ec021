/**
 * What refheap-python does not support is refused with a SyntaxError that names it — where
 * CPython would accept the program — rather than parsed into a tree the interpreter cannot run.
 */
import { describe, expect, test } from 'vitest';
import { PySyntaxError, parse } from './index.ts';

const REFUSED: [source: string, message: string, line: number, offset: number][] = [
  ['async def f():\n    pass\n', 'async functions are not supported by refheap-python', 1, 1],
  ['@decorator\nasync def f():\n    pass\n', 'async functions are not supported by refheap-python', 2, 1],
  ['def f():\n    async for x in y:\n        pass\n', 'async for loops are not supported by refheap-python', 2, 5],
  ['def f():\n    async with x:\n        pass\n', 'async with statements are not supported by refheap-python', 2, 5],
  ['def f():\n    return await g()\n', 'await expressions are not supported by refheap-python', 2, 12],
  ['def f():\n    return [x async for x in y]\n', 'asynchronous comprehensions are not supported by refheap-python', 2, 15],
  ['match command:\n    case "go":\n        pass\n', 'match statements are not supported by refheap-python', 1, 1],
  ['try:\n    pass\nexcept* ValueError:\n    pass\n', 'except* (exception groups) is not supported by refheap-python', 3, 1],
  ['name = "\\N{BULLET}"\n', '\\N{...} escapes are not supported by refheap-python (it has no Unicode name database)', 1, 20],
];

describe('features outside the subset', () => {
  for (const [source, message, line, offset] of REFUSED) {
    test(message, () => {
      let error: unknown;
      try {
        parse(source, { filename: 'lesson.py' });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(PySyntaxError);
      expect(error).toMatchObject({ name: 'SyntaxError', msg: message, lineno: line, offset });
    });
  }

  test('match, case and _ are still names', () => {
    const tree = parse('match = case = _ = 1\nmatch(x)\nmatch[0]\nprint(match, case)\n');
    expect(tree.body).toHaveLength(4);
  });

  test('type annotations are parsed, not refused', () => {
    const tree = parse('x: list[int] = []\ndef f(a: int, *b: str, **c: "C") -> dict[str, int]:\n    pass\n');
    expect(tree.body.map((s) => s._type)).toEqual(['AnnAssign', 'FunctionDef']);
  });

  test('an imaginary literal is a complex constant', () => {
    const [statement] = parse('2.5j\n').body;
    expect(statement).toMatchObject({ _type: 'Expr', value: { _type: 'Constant', value: { real: 0, imag: 2.5 } } });
  });
});
