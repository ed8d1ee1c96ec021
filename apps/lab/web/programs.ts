/**
 * The programs the page can open: the learner's own (typed, pasted or shared), the seeds'
 * examples, and the lab's scenarios as Python. The menu's values are `own`, `seed:NAME`,
 * `scenario:NAME`.
 */
import { scenarios } from '../src/registry.ts';
import { scenarioProgram } from '../src/runner.ts';
import type { Scenario } from '../src/scenario.ts';
import { el } from './dom.ts';
import { seeds } from './seeds.ts';

export const STARTER = `import sys
import gc

class Node:
    def __init__(self, name):
        self.name = name
        self.other = None

a = Node("a")
b = Node("b")
a.other = b
b.other = a          # a cycle: each holds the other
print(sys.getrefcount(a))   # 3: the name a, b.other, and the argument
del a, b             # the names go; the cycle keeps both alive
print(gc.collect())  # the collector finds the two Nodes: 2
`;

export type Choice =
  | { readonly kind: 'own' }
  | { readonly kind: 'seed'; readonly name: string; readonly title: string; readonly source: string }
  | { readonly kind: 'scenario'; readonly name: string; readonly title: string; readonly scenario: Scenario; readonly source: string };

export const choiceValue = (choice: Choice): string => (choice.kind === 'own' ? 'own' : `${choice.kind}:${choice.name}`);

export function findChoice(value: string): Choice | null {
  const [kind, name] = value.split(':');
  if (kind === 'seed') {
    const seed = seeds.find((s) => s.name === name);
    return seed ? { kind: 'seed', name: seed.name, title: seed.title, source: seed.source } : null;
  }
  if (kind === 'scenario') {
    const scenario = scenarios.find((s) => s.name === name);
    return scenario ? { kind: 'scenario', name: scenario.name, title: scenario.title, scenario, source: scenarioProgram(scenario) } : null;
  }
  return value === 'own' ? { kind: 'own' } : null;
}

export function fillMenu(select: HTMLSelectElement): void {
  const own = el('optgroup');
  own.label = 'Your program';
  own.append(new Option('Your own program (type or paste)', 'own'));
  const examples = el('optgroup');
  examples.label = 'Examples from the seeds';
  examples.append(...seeds.map((s) => new Option(`${s.name.slice(5, 7)}. ${s.title}`, `seed:${s.name}`)));
  const lessons = el('optgroup');
  lessons.label = 'Scenarios, with their lesson';
  lessons.append(...scenarios.map((s) => new Option(`${s.title} (${s.name})`, `scenario:${s.name}`)));
  select.replaceChildren(own, examples, lessons);
}

export const seedNames = (): string[] => seeds.map((s) => s.name);
export const scenarioNames = (): string[] => scenarios.map((s) => s.name);
