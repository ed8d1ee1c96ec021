/**
 * The references one object holds, each with the label a learner would write to follow it:
 * `.name`, `[0]`, `['key']`, `key`, `__class__`, `cell_contents`. The references are the ones
 * `traverse` reports (what the object counts), so every arrow drawn is one unit of a refcount;
 * a class is the exception — its members are drawn straight from the class, its attribute dict
 * (a mappingproxy to the program) left out, unless something else holds the dict too (the
 * program got it from gc.get_referrers): then the class's one arrow goes to the dict.
 */
import { Kind, type Heap, type Ref } from '@refheap/core';

export type Labelled = readonly [label: string, child: Ref];

const keyLabel = (heap: Heap, key: Ref): string => {
  const text = heap.repr(key);
  return `[${text.length > 24 ? `${text.slice(0, 23)}…` : text}]`;
};

function instanceReferences(heap: Heap, ref: Ref): Labelled[] {
  // Attribute names by value; a value held under two names takes them in order.
  const names = new Map<Ref, string[]>();
  heap.forEachAttribute(ref, (name, value) => {
    const list = names.get(value);
    if (list) list.push(name);
    else names.set(value, [name]);
  });
  const cls = heap.typeOf(ref).object;
  const out: Labelled[] = [];
  heap.traverse(ref, (child) => {
    const name = names.get(child)?.shift();
    if (name !== undefined) out.push([`.${name}`, child]);
    else if (child === cls) out.push(['__class__', child]);
    else if (heap.kindOf(child) === Kind.Dict) out.push(['__dict__', child]);
    else out.push(['', child]);
  });
  return out;
}

export function labelledReferences(heap: Heap, ref: Ref): Labelled[] {
  const out: Labelled[] = [];
  switch (heap.kindOf(ref)) {
    case Kind.List:
    case Kind.Tuple:
      for (let i = 0; i < heap.length(ref); i++) out.push([`[${i}]`, heap.item(ref, i)]);
      return out;
    case Kind.Dict:
      heap.dictForEach(ref, (key, value) => {
        out.push([keyLabel(heap, key), value]);
        if (heap.isContainer(key)) out.push(['key', key]);
      });
      return out;
    case Kind.Set:
      heap.setForEach(ref, (item) => out.push(['', item]));
      return out;
    case Kind.Type: {
      const dict = classDict(heap, ref);
      if (dict !== 0 && heap.refcount(dict) > 1) return [['__dict__', dict]];
      heap.forEachAttribute(ref, (name, value) => out.push([`.${name}`, value]));
      return out;
    }
    case Kind.Cell:
      heap.traverse(ref, (child) => out.push(['cell_contents', child]));
      return out;
    case Kind.Instance:
      return instanceReferences(heap, ref);
    default:
      if (heap.isContainer(ref)) heap.traverse(ref, (child) => out.push(['', child]));
      return out;
  }
}

/** The objects `labelledReferences` would name, without the names (no allocation: for walking big heaps). */
export function forEachReference(heap: Heap, ref: Ref, visit: (child: Ref) => void): void {
  switch (heap.kindOf(ref)) {
    case Kind.List:
    case Kind.Tuple:
      for (let i = 0; i < heap.length(ref); i++) visit(heap.item(ref, i));
      return;
    case Kind.Dict:
      heap.dictForEach(ref, (key, value) => {
        visit(value);
        if (heap.isContainer(key)) visit(key);
      });
      return;
    case Kind.Set:
      heap.setForEach(ref, visit);
      return;
    case Kind.Type: {
      const dict = classDict(heap, ref);
      if (dict !== 0 && heap.refcount(dict) > 1) visit(dict);
      else heap.forEachAttribute(ref, (_name, value) => visit(value));
      return;
    }
    default:
      if (heap.isContainer(ref)) heap.traverse(ref, visit);
  }
}

/** A class's attribute dict; 0 for anything else. */
export function classDict(heap: Heap, ref: Ref): Ref {
  let dict = 0;
  if (heap.kindOf(ref) === Kind.Type) heap.traverse(ref, (child) => (dict = child));
  return dict;
}

/** A function's `__globals__`; 0 for anything else. */
export function functionGlobals(heap: Heap, ref: Ref): Ref {
  let globals = 0;
  if (heap.typeOf(ref).name === 'function') {
    heap.forEachAttribute(ref, (name, value) => {
      if (name === '__globals__') globals = value;
    });
  }
  return globals;
}
