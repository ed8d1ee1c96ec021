/**
 * The program's editor: CodeMirror 6 with Python highlighting, line numbers (a click on one
 * asks to run to that line), and the line the last step ran highlighted. Tab is left to move
 * the focus on, so the page stays keyboard operable; indentation is Mod-] / Mod-[.
 */
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';

const setRanLine = StateEffect.define<number | null>();

const ranLineMark = Decoration.line({ class: 'cm-ran-line', attributes: { 'aria-current': 'step' } });

/** The line the last step ran, as a line decoration that follows edits until the next step. */
const ranLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setRanLine)) continue;
      const line = effect.value;
      next = line === null || line < 1 || line > tr.state.doc.lines ? Decoration.none : Decoration.set([ranLineMark.range(tr.state.doc.line(line).from)]);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export interface EditorOptions {
  readonly doc: string;
  /** Called after the learner changes the text. */
  readonly onChange: (source: string) => void;
  /** Called with a line number the learner clicked in the gutter. */
  readonly onGutterLine: (line: number) => void;
  /** Called when the cursor moves to another line. */
  readonly onCursorLine: (line: number) => void;
}

export class ProgramEditor {
  readonly view: EditorView;

  constructor(parent: HTMLElement, options: EditorOptions) {
    const extensions: Extension[] = [
      lineNumbers({
        domEventHandlers: {
          mousedown: (view, block) => {
            options.onGutterLine(view.state.doc.lineAt(block.from).number);
            return true;
          },
        },
      }),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      python(),
      ranLine,
      EditorState.tabSize.of(4),
      keymap.of([{ key: 'Mod-]', run: indentMore }, { key: 'Mod-[', run: indentLess }, ...historyKeymap, ...defaultKeymap]),
      EditorView.contentAttributes.of({ 'aria-label': 'Python program', 'aria-multiline': 'true' }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange(update.state.doc.toString());
        if (update.docChanged || update.selectionSet) options.onCursorLine(update.state.doc.lineAt(update.state.selection.main.head).number);
      }),
    ];
    this.view = new EditorView({ parent, state: EditorState.create({ doc: options.doc, extensions }) });
  }

  get source(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole program (a new example, a shared link). */
  setSource(source: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: source }, effects: setRanLine.of(null) });
  }

  /** Highlights the line the last step ran (null: none) and scrolls it into view. */
  showRanLine(line: number | null): void {
    const doc = this.view.state.doc;
    const effects: StateEffect<unknown>[] = [setRanLine.of(line)];
    if (line !== null && line >= 1 && line <= doc.lines) effects.push(EditorView.scrollIntoView(doc.line(line).from, { y: 'nearest' }));
    this.view.dispatch({ effects });
  }

  /** The line the cursor is on. */
  get cursorLine(): number {
    const state = this.view.state;
    return state.doc.lineAt(state.selection.main.head).number;
  }
}
