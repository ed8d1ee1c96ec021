/**
 * A large program goes through in one piece: 5,000 lines, no deep recursion on long statement
 * lists, every statement where it was. (Not timed: it takes some tens of milliseconds.)
 */
import { expect, test } from 'vitest';
import { parse, tokenize } from './index.ts';

const CHUNK = [
  'class Node:',
  '    def __init__(self, name, parent=None):',
  '        self.name = name',
  '        self.parent = parent',
  '        self.children = [child for child in range(3) if child % 2]',
  '',
  'def build(depth):',
  '    root = Node(f"root-{depth}")',
  '    for i in range(depth):',
  '        root = Node(f"{i:>3}", parent=root)',
  '    return root',
  '',
  'nodes = {i: build(i) for i in range(10)}',
  'total = sum(len(n.children) for n in nodes.values()) + 1 * 2 - 3 / 4',
  '',
  '',
  '',
  '',
  '',
  '',
];

test('a program of 5,000 lines', () => {
  const source = Array.from({ length: 250 }, () => CHUNK.join('\n')).join('\n') + '\n';
  expect(source.split('\n').length - 1).toBe(5000);
  const tokens = tokenize(source);
  expect(tokens.at(-1)).toMatchObject({ type: 'ENDMARKER', lineno: 5001 });
  const tree = parse(source, { filename: 'big.py' });
  expect(tree.body).toHaveLength(250 * 4);
  expect(tree.body.at(-1)).toMatchObject({ _type: 'Assign', lineno: 4994, end_lineno: 4994 });
});

test('a statement of 10,000 terms, and brackets nested 100 deep', () => {
  const line = `x = ${Array.from({ length: 10_000 }, (_, i) => `a${i}`).join(' + ')}`;
  const long = parse(`${line}\n`);
  expect(long.body[0]).toMatchObject({ _type: 'Assign', value: { _type: 'BinOp', op: 'Add' }, end_col_offset: line.length });
  const deep = parse(`x = ${'('.repeat(100)}1${')'.repeat(100)}\n`);
  expect(deep.body[0]).toMatchObject({ value: { _type: 'Constant', value: 1n } });
});
