/**
 * Programs CPython's parser rejects: each gives a SyntaxError (or IndentationError, TabError)
 * whose every field, and the lines python3 prints for it, refheap-python must reproduce.
 */
import { py, type Case } from './cpython.ts';

export const BAD_SOURCES: readonly Case[] = [
  // Python 2, and the mistakes the second pass names
  { name: 'Python 2 print', source: 'print "x"\n' },
  { name: 'Python 2 print with arguments', source: 'import sys\nprint "refcount:", sys.getrefcount(a)\n' },
  { name: 'Python 2 exec', source: 'exec "code"\n' },
  { name: 'Python 2 print in a function', source: 'def test(x):\n    print "x has a refcount of:", x\n' },
  { name: 'a missing comma in a list', source: 'items = [1, 2 3]\n' },
  { name: 'a missing comma in a call', source: 'f(a b)\n' },
  { name: 'if expression without else', source: 'x = 1 if y\n' },

  // brackets
  { name: 'a bracket never closed', source: 'foo(a, b\n' },
  { name: 'a bracket never closed, then more lines', source: 'x = (1,\n     2\ny = 3\n' },
  { name: 'a bracket never closed at the end of the file', source: 'data = {\n    "a": 1,\n' },
  { name: 'an unmatched closing bracket', source: 'foo(a, b))\n' },
  { name: 'a closing bracket that does not match', source: 'x = [1, 2)\n' },
  { name: 'a closing bracket that does not match, on another line', source: 'x = [1,\n     2)\n' },
  { name: 'a bracket open from an earlier line than the error', source: 'x = (\ny = = 1\n' },

  // missing colons and blocks
  { name: 'if without a colon', source: 'if x\n    pass\n' },
  { name: 'while without a colon', source: 'while True\n    pass\n' },
  { name: 'for without a colon', source: 'for i in range(3)\n    print(i)\n' },
  { name: 'class without a colon', source: 'class A\n    pass\n' },
  { name: 'def without a colon', source: 'def f()\n    pass\n' },
  { name: 'def without parentheses', source: 'def f:\n    pass\n' },
  { name: 'with without a colon', source: 'with open(p) as f\n    pass\n' },
  { name: 'except without a colon', source: 'try:\n    pass\nexcept ValueError\n    pass\n' },
  { name: 'else with something before its colon', source: 'if a:\n    pass\nelse b:\n    pass\n' },
  { name: 'no block after if', source: 'if x:\npass\n' },
  { name: 'no block after def', source: 'def f():\nreturn 1\n' },
  { name: 'no block after class, at the end of the file', source: 'class A:\n' },
  { name: 'no block after for', source: 'for x in y:\n\nprint(x)\n' },
  { name: 'no block after while', source: 'while x:\n# nothing\nx = 1\n' },
  { name: 'no block after else', source: 'if x:\n    pass\nelse:\npass\n' },
  { name: 'no block after elif', source: 'if x:\n    pass\nelif y:\npass\n' },
  { name: 'no block after try', source: 'try:\nx = 1\n' },
  { name: 'no block after except', source: 'try:\n    pass\nexcept:\npass\n' },
  { name: 'no block after finally', source: 'try:\n    pass\nfinally:\npass\n' },
  { name: 'no block after with', source: 'with lock:\npass\n' },
  { name: 'try without except or finally', source: 'try:\n    pass\nx = 1\n' },
  { name: 'multiple exception types without parentheses', source: 'try:\n    pass\nexcept A, B:\n    pass\n' },

  // indentation
  { name: 'unexpected indent', source: 'x = 5\n    y = 6\n' },
  { name: 'unexpected indent on the first line', source: '  x = 1\n' },
  { name: 'unindent to no outer level', source: 'def f():\n    return 1\n  x = 2\n' },
  { name: 'tabs then spaces', source: 'if x:\n\tpass\n        pass\n' },
  { name: 'a tab where spaces were', source: 'if x:\n        a = 1\n\tb = 2\n' },
  { name: 'a form feed that resets the indentation', source: 'if x:\n    \fz = 3\n' },

  // strings
  { name: 'unterminated string', source: 's = "abc\n' },
  { name: 'unterminated string after a continuation', source: 'x = 1 + \\\n  "abc\n' },
  { name: 'unterminated triple-quoted string', source: 's = """abc\n\nmore\n' },
  { name: 'unterminated string with a prefix', source: 'x = 1\nname = rb"abc\n' },
  { name: 'bytes with a non-ASCII character', source: 'b"café"\n' },
  { name: 'bytes mixed with str', source: 'x = "a" b"b"\n' },
  { name: 'a truncated \\x escape', source: 'x = "\\x1"\n' },
  { name: 'a truncated \\u escape after non-ASCII text', source: 'x = "é\\u12"\n' },
  { name: 'a code point beyond Unicode', source: 'x = "\\U00110000"\n' },
  { name: 'an invalid \\x escape in bytes', source: 'x = b"\\xZZ"\n' },

  // f-strings
  { name: 'f-string with an empty expression', source: 'x = f"{}"\n' },
  { name: "f-string with a single '}'", source: 'x = f"a}b"\n' },
  { name: 'f-string never closing its brace', source: 'x = f"{a"\n' },
  { name: 'f-string with an invalid conversion', source: 'x = f"{a!x}"\n' },
  { name: 'f-string with a backslash in the expression', source: 'x = f"{a\\n}"\n' },
  { name: "f-string with '#' in the expression", source: 'x = f"{a#}"\n' },
  { name: 'f-string nested too deeply', source: 'x = f"{a:{b:{c}}}"\n' },
  { name: 'f-string with an unmatched parenthesis', source: 'x = f"{a)}"\n' },
  { name: 'f-string with a mismatched parenthesis', source: 'x = f"{a(}"\n' },
  { name: 'f-string with an unterminated string inside', source: "x = f\"{'a}\"\n" },
  { name: 'f-string expression missing a comma', source: 'x = f"{a b}"\n' },
  { name: 'f-string expression with invalid syntax', source: 'x = f"{a $ b}"\n' },
  { name: 'f-string expression with a starred expression', source: 'x = f"{*a}"\n' },
  { name: 'f-string expression with an invalid number', source: 'x = f"{1_}"\n' },
  { name: 'f-string error on a continued line', source: 'x = ("a"\n     f"{b c}")\n' },
  { name: 'f-string with a lambda', source: 'x = f"{lambda x: 1}"\n' },

  // numbers and characters
  { name: 'an underscore at the end of a number', source: 'x = 1_\n' },
  { name: 'letters after a number', source: 'x = 1abc\n' },
  { name: 'leading zeros', source: 'x = 0777\n' },
  { name: 'hex without digits', source: 'x = 0x\n' },
  { name: 'a digit beyond octal', source: 'x = 0o78\n' },
  { name: 'a digit beyond binary', source: 'x = 0b102\n' },
  { name: 'an exponent without digits', source: 'x = 1e+\n' },
  { name: 'an invalid character', source: 'x = 1 × 2\n' },
  { name: 'an invalid character in an identifier', source: 'a€b = 1\n' },
  { name: 'a dollar sign', source: 'x = $y\n' },
  { name: 'a lone exclamation mark', source: 'x = 1 ! 2\n' },
  { name: "Python 2's <>", source: 'x = 1 <> 2\n' },
  { name: 'a character after a line continuation', source: 'x = 1 \\ 2\n' },
  { name: 'a line continuation at the end of the file', source: 'x = 1 + \\\n' },

  // targets
  { name: 'assign to a literal', source: '1 = x\n' },
  { name: 'assign to a function call', source: 'f() = 1\n' },
  { name: 'assign to an expression', source: 'a + 1 = 2\n' },
  { name: 'assign to a comparison', source: 'a < b = 1\n' },
  { name: 'assign to True', source: 'True = 1\n' },
  { name: 'assign to a literal in a chain', source: 'x = 1 = 2\n' },
  { name: 'assign to a literal in a tuple', source: 'a, 1 = t\n' },
  { name: 'a name then an assignment inside a tuple target', source: 'f(), a = 1, 2\n' },
  { name: 'assign to yield', source: 'x = yield = 1\n' },
  { name: 'assign in an if condition', source: 'if x = 1:\n    pass\n' },
  { name: 'assign to a call in a while condition', source: 'while f() = 1:\n    pass\n' },
  { name: 'assign in a list', source: '[a = 1]\n' },
  { name: 'walrus with an attribute', source: '(a.b := 1)\n' },
  { name: 'walrus at statement level', source: 'x := 1\n' },
  { name: 'augmented assignment to a tuple', source: 'a, b += 1\n' },
  { name: 'augmented assignment to a call', source: 'f() += 1\n' },
  { name: 'annotating a tuple', source: '(a, b): int\n' },
  { name: 'annotating an unparenthesized tuple', source: 'a, b: int\n' },
  { name: 'annotating a list', source: '[a]: int\n' },
  { name: 'annotating a call', source: 'f(): int\n' },
  { name: 'delete a call', source: 'del f(), x\n' },
  { name: 'delete a literal in a tuple', source: 'del (a, 1)\n' },
  { name: 'delete a starred name', source: 'del *a\n' },
  { name: 'a for target that is a literal', source: 'for 1 in x:\n    pass\n' },
  { name: 'a for target that is a call', source: 'for f() in x:\n    pass\n' },
  { name: 'a comprehension target that is a call', source: '[x for f() in y]\n' },
  { name: 'a with target that is a literal', source: 'with a as 1:\n    pass\n' },

  // calls, comprehensions, displays
  { name: 'a generator beside other arguments, first', source: 'f(x for x in y, 1)\n' },
  { name: 'a generator beside other arguments, last', source: 'f(c, a for a in b)\n' },
  { name: 'a positional argument after a keyword', source: 'f(a=1, b)\n' },
  { name: 'a positional argument after **', source: 'f(**a, b)\n' },
  { name: '* after **', source: 'f(**a, *b)\n' },
  { name: 'a keyword that is an expression', source: 'f(a.b=1)\n' },
  { name: 'a keyword that is True', source: 'f(True=1)\n' },
  { name: 'a keyword then a generator', source: 'f(x=y for y in z)\n' },
  { name: 'unpacking in a comprehension', source: 'x = [*a for a in b]\n' },
  { name: 'a comprehension target without parentheses', source: 'x = [a, b for a in c]\n' },
  { name: 'dict unpacking in a dict comprehension', source: 'x = {**a for a in b}\n' },
  { name: 'a dict key without a value', source: 'x = {1: 2, 3}\n' },
  { name: 'a dict value missing', source: 'x = {1: }\n' },
  { name: 'a starred dict value', source: 'x = {1: *a}\n' },
  { name: 'a starred expression in parentheses', source: 'x = (*a)\n' },

  // parameters
  { name: 'a parameter without a default after one with', source: 'def f(x=1, y):\n    pass\n' },
  { name: 'a lambda parameter without a default after one with', source: 'lambda x=1, y: x\n' },
  { name: 'parameters in parentheses', source: 'def f(a, (b, c)):\n    pass\n' },
  { name: 'lambda parameters in parentheses', source: 'lambda (x): x\n' },
  { name: 'a slash first', source: 'def f(/, a):\n    pass\n' },
  { name: 'two slashes', source: 'def f(a, /, b, /):\n    pass\n' },
  { name: 'a slash after the star', source: 'def f(*a, /):\n    pass\n' },
  { name: 'a bare star at the end', source: 'def f(a, *):\n    pass\n' },
  { name: 'a bare star in a lambda', source: 'lambda *: 1\n' },
  { name: 'a default for *args', source: 'def f(*a=1):\n    pass\n' },
  { name: 'a default for **kwargs', source: 'def f(**k=1):\n    pass\n' },
  { name: 'a parameter after **kwargs', source: 'def f(**k, a):\n    pass\n' },
  { name: 'two stars', source: 'def f(*a, *b):\n    pass\n' },
  { name: 'a default missing', source: 'def f(a=):\n    pass\n' },

  // imports and the rest
  { name: 'import without a name after as', source: 'import a.b as\n' },
  { name: 'from-import with a trailing comma', source: 'from x import a,\n' },
  { name: 'from-import never closed', source: 'from x import (a, b\n' },
  { name: 'else without if', source: 'else:\n    pass\n' },
  { name: 'a decorator at the end of the file', source: '@decorator\n' },
  { name: 'a decorator before a statement', source: '@decorator\nx = 1\n' },
  { name: 'an operator at the end of a line', source: 'x = 1 +\n' },
  { name: 'a block never begun, CRLF line endings', source: 'if x:\r\n' },
  { name: 'a bracket never closed, CRLF line endings', source: 'x = (1,\r\n2\r\n' },
  { name: 'an unterminated triple-quoted string, CRLF line endings', source: 'x = 1\r\ns = """a\r\n' },
  { name: 'two equals signs', source: 'x = = 1\n' },
  { name: 'an error after a comment', source: 'x = 1 +  # note\n' },
  { name: 'an error on a line with non-ASCII text', source: 'café = "é" +\n' },
  { name: 'an error after a multi-line string', source: 'x = """a\nb""" +\n' },
  { name: 'a parser error, then an unterminated string', source: 'x = = 1\ns = "abc\n' },
  { name: 'an unexpected indent, then an unterminated string', source: '  x = 1\ns = "abc\n' },
  { name: 'an error deep in a file', source: py`
      import gc

      class Node:
          def __init__(self, name):
              self.name = name

      def build(n):
          nodes = [Node(i) for i in range(n)]
          for a, b in zip(nodes, nodes[1:])
              a.next = b
          return nodes
    ` },
];
