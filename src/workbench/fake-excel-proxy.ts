/**
 * The proxy-object machinery of the fake Excel: queued loads, loaded-property checks, null objects and
 * collections, as Office.js's ClientObject behaves.
 */
import type { FakeRequestContext } from "./fake-excel";
import { FakeOfficeError, officeError, propertyNotLoaded } from "./fake-excel-errors";

export type LoadSpec = string | string[] | { select?: string } | Record<string, boolean> | undefined;

export function parseLoadSpec(spec: LoadSpec): string[] | "all" {
  if (spec === undefined) return "all";
  if (typeof spec === "string") return spec.split(",").map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(spec)) return spec.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
  if (typeof (spec as { select?: unknown }).select === "string") return parseLoadSpec((spec as { select: string }).select);
  return Object.entries(spec as Record<string, boolean>)
    .filter(([, v]) => v === true)
    .map(([k]) => k);
}

/** State shared by every proxy: loaded values, pending loads, null-object resolution. */
export abstract class FakeProxy<Target> {
  private readonly loadedValues = new Map<string, unknown>();
  private readonly pendingLoads = new Set<string>();
  private nullState: boolean | undefined;
  private target: Target | null | undefined;

  protected abstract readonly className: string;
  /** Scalar properties that `load` accepts. */
  protected abstract readonly loadable: readonly string[];

  constructor(protected readonly context: FakeRequestContext) {}

  /** @internal binds this proxy to what it stands for, when its creating call runs at sync */
  bind(target: Target | null): void {
    this.target = target;
    this.context.deliver(0, () => {
      this.nullState = target === null;
    });
  }

  /** @internal for objects that exist as soon as they are created (collections, formats) */
  bindNow(target: Target): void {
    this.target = target;
    this.nullState = false;
  }

  /** @internal the bound target at execution time; null objects refuse to be used */
  resolve(): Target {
    if (this.target === undefined) throw officeError("GeneralException", `${this.className} was used before it was created.`);
    if (this.target === null) throw officeError("ItemNotFound", `The ${this.className} is a null object.`);
    return this.target;
  }

  /** @internal */
  isNullTarget(): boolean {
    return this.target === null;
  }

  get isNullObject(): boolean {
    if (this.nullState === undefined) throw propertyNotLoaded("isNullObject");
    return this.nullState;
  }

  /** Queues loading of scalar properties (all of them when called with no argument). */
  load(spec?: LoadSpec): this {
    const parsed = parseLoadSpec(spec);
    const props = parsed === "all" ? [...this.loadable] : parsed;
    const unknown = props.filter((p) => !this.loadable.includes(p));
    for (const p of props) this.pendingLoads.add(p);
    this.context.enqueue({
      location: `${this.className}.load`,
      statement: `${this.className.toLowerCase()}.load(${JSON.stringify(props.join(","))});`,
      apply: () => {
        if (unknown.length > 0) throw officeError("InvalidArgument", `The property '${unknown[0]}' doesn't exist on ${this.className}.`);
        if (this.target === null) return; // a null object has nothing to load
        const values = props.map((p) => [p, this.readProperty(p)] as const);
        this.deliverValues(values);
      },
    });
    return this;
  }

  /** @internal */
  deliverValues(values: readonly (readonly [string, unknown])[]): void {
    const bytes = values.reduce((n, [, v]) => n + jsonSize(v), 0);
    this.context.deliver(bytes, () => {
      for (const [p, v] of values) {
        this.loadedValues.set(p, v);
        this.pendingLoads.delete(p);
      }
    });
  }

  /** @internal marks properties as requested (a collection's load does this for its items) */
  markPending(props: readonly string[]): void {
    for (const p of props) this.pendingLoads.add(p);
  }

  /** Reads a property at execution time, from the document. */
  protected abstract readProperty(name: string): unknown;

  protected loaded<T>(name: string): T {
    if (this.loadedValues.has(name)) return this.loadedValues.get(name) as T;
    if (this.pendingLoads.has(name)) {
      throw new FakeOfficeError("PropertyNotLoaded", `The property '${name}' is not available yet: call "context.sync()" before reading it.`);
    }
    throw propertyNotLoaded(name);
  }

  /** Queues a property write; the loaded copy is forgotten until loaded again. */
  protected queueSet(name: string, value: unknown, apply: () => void): void {
    this.loadedValues.delete(name);
    this.context.enqueue({
      location: `${this.className}.${name}`,
      statement: `${this.className.toLowerCase()}.${name} = ...;`,
      bytes: 100 + jsonSize(value),
      apply,
    });
  }

  protected queueCall(method: string, apply: () => void): void {
    this.context.enqueue({ location: `${this.className}.${method}`, statement: `${this.className.toLowerCase()}.${method}(...);`, apply });
  }
}

export function jsonSize(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** Queues the call that creates a proxy, so lookups fail at sync in queue order as they do in Excel. */
export function create<P extends FakeProxy<T>, T>(proxy: P, context: FakeRequestContext, location: string, find: () => T | null, orNull: boolean): P {
  context.enqueue({
    location,
    statement: `${location}(...);`,
    apply: () => {
      let found: T | null;
      try {
        found = find();
      } catch (e) {
        if (orNull && e instanceof FakeOfficeError && e.code === "ItemNotFound") found = null;
        else throw e;
      }
      if (found === null && !orNull) throw officeError("ItemNotFound", undefined);
      proxy.bind(found);
    },
  });
  return proxy;
}

/** A collection: `items` needs load and sync like any property; loading it loads every item. */
export abstract class FakeCollection<Item extends FakeProxy<unknown>> extends FakeProxy<true> {
  private loadedItems: Item[] | undefined;
  private itemsPending = false;

  constructor(context: FakeRequestContext) {
    super(context);
    this.bindNow(true);
  }

  get items(): Item[] {
    if (this.loadedItems) return [...this.loadedItems];
    throw this.itemsPending ? new FakeOfficeError("PropertyNotLoaded", `The property 'items' is not available yet: call "context.sync()" before reading it.`) : propertyNotLoaded("items");
  }

  protected abstract itemKeys(): string[];
  protected abstract makeItem(key: string): Item;
  protected abstract readonly itemLoadable: readonly string[];

  /** `load("items/name,items/type")`, `load("name,type")` and `load()` all load every item's properties. */
  override load(spec?: LoadSpec): this {
    const parsed = parseLoadSpec(spec);
    const props = parsed === "all" ? [...this.itemLoadable] : [...new Set(parsed.map((p) => p.replace(/^items\/?/, "")).filter(Boolean))];
    const wanted = props.length === 0 ? [...this.itemLoadable] : props;
    const unknown = wanted.filter((p) => !this.itemLoadable.includes(p));
    this.itemsPending = true;
    this.context.enqueue({
      location: `${this.className}.load`,
      statement: `${this.className.toLowerCase()}.load(${JSON.stringify(wanted.join(","))});`,
      apply: () => {
        if (unknown.length > 0) throw officeError("InvalidArgument", `The property '${unknown[0]}' doesn't exist on the items of ${this.className}.`);
        const items = this.itemKeys().map((k) => {
          const item = this.makeItem(k);
          item.bind(k as never);
          item.markPending(wanted);
          item.deliverValues(wanted.map((p) => [p, (item as unknown as { readProperty(p: string): unknown }).readProperty(p)] as const));
          return item;
        });
        this.context.deliver(0, () => {
          this.loadedItems = items;
          this.itemsPending = false;
        });
      },
    });
    return this;
  }

  protected readProperty(): unknown {
    return undefined;
  }
}
