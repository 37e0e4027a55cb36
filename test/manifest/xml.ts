/**
 * A small, strict XML parser for the manifest tests (no XML library is installed): elements, attributes,
 * text, comments, CDATA and the XML declaration. It rejects what an XML parser must reject — mismatched or
 * unclosed tags, duplicate attributes, unquoted attribute values, bare `<` or `&`, unknown entities, a
 * second root — so "it parses" means "it is well-formed" for everything a manifest contains. No DTDs.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside this element (entities decoded). */
  readonly text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;
const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export class XmlError extends Error {}

function decode(raw: string, where: number): string {
  if (raw.includes("<")) throw new XmlError(`Unescaped "<" at ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, entity: string) => {
    if (!match.endsWith(";")) throw new XmlError(`Bare "&" at ${where}`);
    if (entity in ENTITIES) return ENTITIES[entity]!;
    const num = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(entity);
    if (num) return String.fromCodePoint(num[1]!.startsWith("x") ? parseInt(num[1]!.slice(1), 16) : Number(num[1]));
    throw new XmlError(`Unknown entity &${entity}; at ${where}`);
  });
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const text = source.replace(/^\uFEFF/, "");

  const skipMisc = (): void => {
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i))![0];
      i += ws.length;
      if (text.startsWith("<!--", i)) {
        const end = text.indexOf("-->", i + 4);
        if (end < 0) throw new XmlError("Unclosed comment");
        if (text.slice(i + 4, end).includes("--")) throw new XmlError(`"--" inside a comment at ${i}`);
        i = end + 3;
      } else if (text.startsWith("<?", i)) {
        const end = text.indexOf("?>", i);
        if (end < 0) throw new XmlError("Unclosed processing instruction");
        if (i !== 0 && /^<\?xml\s/i.test(text.slice(i))) throw new XmlError("The XML declaration must come first");
        i = end + 2;
      } else if (text.startsWith("<!", i)) {
        throw new XmlError("DTDs are not expected in a manifest");
      } else {
        return;
      }
    }
  };

  const element = (): XmlElement => {
    if (text[i] !== "<") throw new XmlError(`Expected "<" at ${i}`);
    i += 1;
    const name = NAME.exec(text.slice(i))?.[0];
    if (!name) throw new XmlError(`Bad element name at ${i}`);
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(text.slice(i))![0];
      i += ws.length;
      if (text.startsWith("/>", i)) {
        i += 2;
        return { name, attributes, children: [], text: "" };
      }
      if (text[i] === ">") {
        i += 1;
        break;
      }
      if (ws.length === 0) throw new XmlError(`Expected whitespace before an attribute at ${i}`);
      const attr = NAME.exec(text.slice(i))?.[0];
      if (!attr) throw new XmlError(`Bad attribute name at ${i} in <${name}>`);
      i += attr.length;
      const eq = /^\s*=\s*/.exec(text.slice(i))?.[0];
      if (!eq) throw new XmlError(`Attribute ${attr} without a value at ${i}`);
      i += eq.length;
      const quote = text[i];
      if (quote !== '"' && quote !== "'") throw new XmlError(`Unquoted value for ${attr} at ${i}`);
      const end = text.indexOf(quote, i + 1);
      if (end < 0) throw new XmlError(`Unclosed value for ${attr}`);
      if (attr in attributes) throw new XmlError(`Duplicate attribute ${attr} in <${name}>`);
      attributes[attr] = decode(text.slice(i + 1, end), i);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let content = "";
    for (;;) {
      if (i >= text.length) throw new XmlError(`<${name}> is never closed`);
      if (text.startsWith("</", i)) {
        i += 2;
        const close = NAME.exec(text.slice(i))?.[0];
        if (close !== name) throw new XmlError(`</${close ?? "?"}> closes <${name}> at ${i}`);
        i += close.length;
        const tail = /^\s*>/.exec(text.slice(i))?.[0];
        if (!tail) throw new XmlError(`Bad closing tag for ${name} at ${i}`);
        i += tail.length;
        return { name, attributes, children, text: content };
      }
      if (text.startsWith("<!--", i)) {
        const end = text.indexOf("-->", i + 4);
        if (end < 0) throw new XmlError("Unclosed comment");
        i = end + 3;
      } else if (text.startsWith("<![CDATA[", i)) {
        const end = text.indexOf("]]>", i);
        if (end < 0) throw new XmlError("Unclosed CDATA");
        content += text.slice(i + 9, end);
        i = end + 3;
      } else if (text[i] === "<") {
        children.push(element());
      } else {
        const next = text.indexOf("<", i);
        const raw = text.slice(i, next < 0 ? text.length : next);
        content += decode(raw, i);
        i += raw.length;
      }
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (i !== text.length) throw new XmlError(`Content after the root element at ${i}`);
  return root;
}

/** Local name without its namespace prefix (`bt:Image` → `Image`). */
export function localName(name: string): string {
  return name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
}

/** Every descendant (depth first, document order), the element itself first. */
export function descendants(e: XmlElement): XmlElement[] {
  return [e, ...e.children.flatMap(descendants)];
}

export function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => localName(c.name) === name);
}

/** Follows a path of local names; undefined when any step is missing. */
export function at(e: XmlElement, ...path: string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = e;
  for (const p of path) cur = cur && child(cur, p);
  return cur;
}
