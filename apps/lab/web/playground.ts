/**
 * The playground: the learner's own heap. Objects are lists or instances of a
 * class Node, each bound to a name on creation; links are list appends or
 * attributes; names can be dropped; the collector is the page's buttons.
 */
import type { Handle, HeapType } from '@refheap/core';
import { Session } from '../src/session.ts';

export class Playground {
  readonly session: Session = new Session({ trackObjects: true });
  readonly #Node: HeapType = this.session.py.defineClass('Node');
  #lists = 0;
  #nodes = 0;
  readonly log: string[] = [];

  newList(): string {
    const name = `l${++this.#lists}`;
    this.session.bind(name, this.session.py.list());
    this.log.push(`${name} = []`);
    return name;
  }

  newNode(): string {
    const name = `n${++this.#nodes}`;
    this.session.bind(name, this.session.py.new(this.#Node));
    this.log.push(`${name} = Node()`);
    return name;
  }

  names(): string[] {
    return [...this.session.names.keys()];
  }

  /** `from.append(to)` for a list, `from.to_<name> = to` for a Node. */
  link(from: string, to: string): void {
    const a = this.session.name(from);
    const b = this.session.name(to);
    if (a.type.name === 'list') {
      a.append(b);
      this.log.push(`${from}.append(${to})`);
    } else {
      a.set(`to_${to}`, b);
      this.log.push(`${from}.to_${to} = ${to}`);
    }
  }

  /** Removes one reference from `from` to `to`, if there is one. */
  unlink(from: string, to: string): boolean {
    const a = this.session.name(from);
    const b = this.session.name(to);
    const { heap } = this.session;
    if (a.type.name === 'list') {
      for (let i = 0; i < a.length; i++) {
        if (heap.item(a.ref, i) === b.ref) {
          a.delete(i);
          this.log.push(`${from}.remove(${to})`);
          return true;
        }
      }
      return false;
    }
    let attribute: string | undefined;
    heap.forEachAttribute(a.ref, (name, value) => {
      if (attribute === undefined && value === b.ref) attribute = name;
    });
    if (attribute === undefined) return false;
    a.delete(attribute);
    this.log.push(`del ${from}.${attribute}`);
    return true;
  }

  /** `del name`. */
  drop(name: string): void {
    this.session.drop(name);
    this.log.push(`del ${name}`);
  }

  handle(name: string): Handle {
    return this.session.name(name);
  }
}
