/**
 * The add-in manifest, checked offline (office-addin-manifest's validator needs the internet): well-formed,
 * the elements Office requires in the order its schema wants, Excel 1.7, ReadWriteDocument, https
 * everywhere, every resid defined, icons that exist at the sizes claimed, and a production transform that
 * leaves no localhost behind.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { DEV_ORIGIN, parsePublicUrl, productionManifest } from "../../src/addin/build/manifest-url";
import { iconPng, ICON_SIZES } from "../../scripts/make-icons";
import { at, descendants, localName, parseXml, XmlError, type XmlElement } from "./xml";

const ROOT = join(__dirname, "..", "..");
const MANIFEST = readFileSync(join(ROOT, "manifest.xml"), "utf8");
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function value(e: XmlElement | undefined): string | undefined {
  return e?.attributes.DefaultValue;
}

/** Every URL in the manifest: DefaultValue attributes of URL-bearing elements and resources. */
function urls(root: XmlElement): string[] {
  const out: string[] = [];
  for (const e of descendants(root)) {
    const v = e.attributes.DefaultValue;
    if (v && /^[a-z]+:\/\//i.test(v)) out.push(v);
    if (["Url", "Image", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "SourceLocation"].includes(localName(e.name)) && v !== undefined && !/^[a-z]+:\/\//i.test(v)) {
      out.push(`not-a-url:${v}`);
    }
    if (/^https?:\/\//i.test(e.text.trim())) out.push(e.text.trim());
  }
  return out;
}

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(join(ROOT, file));
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("the XML parser the manifest tests rely on", () => {
  it.each([
    ["<a><b></a></b>", "mismatched tags"],
    ["<a x='1' x='2'/>", "duplicate attributes"],
    ["<a x=1/>", "unquoted attribute"],
    ["<a>1 < 2</a>", "bare <"],
    ["<a>fish & chips</a>", "bare &"],
    ["<a>&nbsp;</a>", "unknown entity"],
    ["<a/><b/>", "two roots"],
    ["<a>", "unclosed element"],
  ])("rejects %s (%s)", (xml) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
  });

  it("reads attributes, entities and nesting", () => {
    const e = parseXml(`<?xml version="1.0"?><!-- c --><a k="x &amp; y"><b>1 &lt; 2</b><c/></a>`);
    expect(e.attributes.k).toBe("x & y");
    expect(at(e, "b")?.text).toBe("1 < 2");
    expect(e.children.map((c) => c.name)).toEqual(["b", "c"]);
  });
});

describe("manifest.xml", () => {
  const root = parseXml(MANIFEST);

  it("is a task pane add-in for Excel workbooks", () => {
    expect(root.name).toBe("OfficeApp");
    expect(root.attributes["xsi:type"]).toBe("TaskPaneApp");
    expect(root.attributes.xmlns).toBe("http://schemas.microsoft.com/office/appforoffice/1.1");
    const hosts = at(root, "Hosts")!.children;
    expect(hosts.map((h) => h.attributes.Name)).toEqual(["Workbook"]);
  });

  it("has a GUID Id and the package's version", () => {
    expect(at(root, "Id")?.text).toMatch(GUID);
    expect(at(root, "Version")?.text).toBe(PACKAGE_VERSION);
  });

  it("has the required top-level elements in the order Office's schema requires", () => {
    const order = [
      "Id",
      "Version",
      "ProviderName",
      "DefaultLocale",
      "DisplayName",
      "Description",
      "IconUrl",
      "HighResolutionIconUrl",
      "SupportUrl",
      "AppDomains",
      "Hosts",
      "Requirements",
      "DefaultSettings",
      "Permissions",
      "VersionOverrides",
    ];
    const present = root.children.map((c) => localName(c.name));
    const known = present.filter((n) => order.includes(n));
    expect(known).toEqual(present); // nothing unexpected
    expect(known).toEqual([...known].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    for (const required of ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "Hosts", "DefaultSettings", "Permissions"]) {
      expect(present).toContain(required);
    }
    expect(value(at(root, "DisplayName"))).toBe("MTD Bridge");
    expect(value(at(root, "Description"))!.length).toBeLessThanOrEqual(250);
  });

  it("requires ExcelApi 1.7 and asks to read and write the document", () => {
    const sets = at(root, "Requirements", "Sets")!;
    expect(sets.attributes.DefaultMinVersion).toBe("1.1");
    expect(sets.children.map((s) => [s.attributes.Name, s.attributes.MinVersion])).toEqual([["ExcelApi", "1.7"]]);
    expect(at(root, "Permissions")?.text.trim()).toBe("ReadWriteDocument");
  });

  it("loads the task pane from the same origin as everything else", () => {
    expect(value(at(root, "DefaultSettings", "SourceLocation"))).toBe(`${DEV_ORIGIN}/taskpane.html`);
  });

  it("uses https for every URL", () => {
    const all = urls(root);
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const u of all) expect(u).toMatch(/^https:\/\//);
  });

  describe("VersionOverrides", () => {
    const overrides = at(root, "VersionOverrides")!;
    const resources = at(overrides, "Resources")!;
    const defined = new Map<string, string>();
    for (const group of resources.children) {
      for (const r of group.children) {
        const id = r.attributes.id!;
        expect(defined.has(id)).toBe(false); // ids are unique across all resource kinds
        defined.set(id, localName(group.name));
      }
    }
    const references = descendants(overrides).filter((e) => e.attributes.resid !== undefined);

    it("defines every resource it refers to, of the right kind", () => {
      expect(references.length).toBeGreaterThan(5);
      const expectedKind: Record<string, string> = {
        Image: "Images",
        SourceLocation: "Urls",
        FunctionFile: "Urls",
        LearnMoreUrl: "Urls",
        Title: "ShortStrings",
        Label: "ShortStrings",
        Description: "LongStrings",
      };
      for (const ref of references) {
        const id = ref.attributes.resid!;
        expect({ id, defined: defined.has(id) }).toEqual({ id, defined: true });
        expect(id.length).toBeLessThanOrEqual(32); // the schema's limit on resid
        const kind = expectedKind[localName(ref.name)];
        if (kind) expect({ id, kind: defined.get(id) }).toEqual({ id, kind });
      }
    });

    it("keeps strings within Office's limits", () => {
      for (const s of at(resources, "ShortStrings")!.children) expect(s.attributes.DefaultValue!.length).toBeLessThanOrEqual(125);
      for (const s of at(resources, "LongStrings")!.children) expect(s.attributes.DefaultValue!.length).toBeLessThanOrEqual(250);
    });

    it("puts a button on the Home tab that shows the task pane", () => {
      const host = at(overrides, "Hosts", "Host")!;
      expect(host.attributes["xsi:type"]).toBe("Workbook");
      const tab = at(host, "DesktopFormFactor", "ExtensionPoint", "OfficeTab")!;
      expect(tab.attributes.id).toBe("TabHome");
      const control = at(tab, "Group", "Control")!;
      expect(control.attributes["xsi:type"]).toBe("Button");
      const action = at(control, "Action")!;
      expect(action.attributes["xsi:type"]).toBe("ShowTaskpane");
      const resid = at(action, "SourceLocation")!.attributes.resid!;
      const url = at(resources, "Urls")!.children.find((u) => u.attributes.id === resid);
      expect(url?.attributes.DefaultValue).toBe(`${DEV_ORIGIN}/taskpane.html`);
      expect(at(resources, "ShortStrings")!.children.find((s) => s.attributes.id === at(control, "Label")!.attributes.resid)?.attributes.DefaultValue).toBe("MTD Bridge");
    });

    it("points its icons at PNGs in assets/ of exactly the size declared", () => {
      const images = at(resources, "Images")!.children;
      expect(images.length).toBe(3);
      for (const img of at(control16(overrides), "Icon")!.children) {
        const size = Number(img.attributes.size);
        const url = images.find((i) => i.attributes.id === img.attributes.resid)!.attributes.DefaultValue!;
        const file = url.slice(DEV_ORIGIN.length + 1);
        expect(file).toMatch(/^assets\/icon-\d+\.png$/);
        expect(pngSize(file)).toEqual({ width: size, height: size });
      }
      const icon = value(at(root, "IconUrl"))!.slice(DEV_ORIGIN.length + 1);
      const high = value(at(root, "HighResolutionIconUrl"))!.slice(DEV_ORIGIN.length + 1);
      expect(pngSize(icon)).toEqual({ width: 32, height: 32 });
      expect(pngSize(high)).toEqual({ width: 64, height: 64 });
    });
  });
});

function control16(overrides: XmlElement): XmlElement {
  return at(overrides, "Hosts", "Host", "DesktopFormFactor", "ExtensionPoint", "OfficeTab", "Group", "Control")!;
}

describe("the production manifest", () => {
  it("moves every development URL to the public address and keeps the XML well-formed", () => {
    const prod = productionManifest(MANIFEST, "https://mtd.example.co.uk/");
    expect(prod).not.toMatch(/localhost/i);
    const root = parseXml(prod);
    const all = urls(root);
    expect(all.length).toBe(urls(parseXml(MANIFEST)).length);
    for (const u of all) expect(u.startsWith("https://mtd.example.co.uk/")).toBe(true);
    expect(value(at(root, "DefaultSettings", "SourceLocation"))).toBe("https://mtd.example.co.uk/taskpane.html");
  });

  it("keeps a path prefix", () => {
    const prod = productionManifest(MANIFEST, "https://example.org/mtd");
    expect(value(at(parseXml(prod), "DefaultSettings", "SourceLocation"))).toBe("https://example.org/mtd/taskpane.html");
  });

  it.each([
    ["http://mtd.example.co.uk", /https/],
    ["https://localhost:8443", /localhost/],
    ["https://127.0.0.1", /localhost/],
    ["mtd.example.co.uk", /absolute https URL/],
    ["https://user:pw@mtd.example.co.uk", /credentials/],
    ["https://mtd.example.co.uk/?x=1", /query/],
  ])("refuses ADDIN_PUBLIC_URL=%s", (url, message) => {
    expect(() => parsePublicUrl(url)).toThrow(message);
  });

  it("refuses to produce a manifest that still names localhost", () => {
    const stray = MANIFEST.replace("</OfficeApp>", "<!-- http://localhost:4000/extra --></OfficeApp>");
    expect(() => productionManifest(stray, "https://mtd.example.co.uk")).toThrow(/localhost/);
  });
});

describe("the icons", () => {
  it.each(ICON_SIZES.map((s) => [s]))("assets/icon-%i.png is what scripts/make-icons.ts draws", (size) => {
    const png = iconPng(size);
    expect(readFileSync(join(ROOT, "assets", `icon-${size}.png`)).equals(png)).toBe(true);
    // IHDR says size × size RGBA, and the pixel data inflates to exactly that many rows.
    expect(png.readUInt32BE(16)).toBe(size);
    expect(png.readUInt32BE(20)).toBe(size);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString("ascii")).toBe("IDAT");
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe(size * (1 + size * 4));
    // Rounded (nearly transparent) corners, opaque green centre-left (the tile), white on the deck.
    expect(raw[1 + 3]).toBeLessThan(64);
    const px = (x: number, y: number) => raw.subarray(y * (1 + size * 4) + 1 + x * 4, y * (1 + size * 4) + 5 + x * 4);
    expect([...px(Math.floor(size * 0.05) + 1, Math.floor(size / 2))]).toEqual([16, 124, 65, 255]);
    expect([...px(Math.floor(size / 2), Math.floor(size * 0.645))].slice(0, 3)).toEqual([255, 255, 255]);
  });
});
