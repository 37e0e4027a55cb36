/** The task pane's single source of truth: immutable state replaced on every change, views subscribe. */

export class Store<S> {
  private listeners: Array<(state: S, previous: S) => void> = [];

  constructor(private current: S) {}

  get state(): S {
    return this.current;
  }

  update(change: (state: S) => S): void {
    const previous = this.current;
    this.current = change(previous);
    if (this.current !== previous) for (const l of this.listeners) l(this.current, previous);
  }

  subscribe(listener: (state: S, previous: S) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
