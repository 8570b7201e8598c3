/**
 * Test helpers for .docx output: unzip + a tiny XML reader for structural asserts, and LibreOffice /
 * poppler wrappers for rendering asserts (docx → PDF → text, word boxes, PNG).
 *
 * LibreOffice runs with a profile of its own per test process (-env:UserInstallation), so parallel
 * test files never share one; calls within a process are serialised. Missing fonts are aliased to Noto
 * CJK through a private fontconfig file (仿宋/楷体/宋体/小标宋 → Noto Serif CJK SC, 黑体/微软雅黑 → Noto
 * Sans CJK SC), so rendered pages look like the real fonts' classes; CJK glyphs are one em wide in all of them.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';

const execFileP = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Unzip and XML
// ---------------------------------------------------------------------------------------------

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text directly inside this element. */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** Parses well-formed XML (as Office writes it) into a tree. Not a validating parser. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re =
    /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(xml))) {
    const top = stack[stack.length - 1];
    if (!top) throw new Error('XML: unbalanced');
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (top.name !== m[2]) throw new Error(`XML: </${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[3] !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of (m[4] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[a[1] ?? ''] = decode(a[2] ?? a[3] ?? '');
      }
      const node: XmlNode = { name: m[3], attrs, children: [], text: '' };
      top.children.push(node);
      if (m[5] !== '/') stack.push(node);
    } else if (m[6] !== undefined) {
      top.text += decode(m[6]);
    }
  }
  const doc = root.children[0];
  if (!doc || stack.length !== 1) throw new Error('XML: no root element or unclosed elements');
  return doc;
}

/** All descendants named `name` (document order). */
export function findAll(node: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

export function find(node: XmlNode, name: string): XmlNode | undefined {
  return findAll(node, name)[0];
}

/** Direct children named `name`. */
export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The text of the w:t elements below a node, with w:tab as \t and w:br as \n. */
export function wText(node: XmlNode): string {
  let s = '';
  const walk = (n: XmlNode) => {
    for (const c of n.children) {
      if (c.name === 'w:t' || c.name === 'w:instrText') {
        if (c.name === 'w:t') s += c.text;
      } else if (c.name === 'w:tab' && n.name === 'w:r') s += '\t';
      else if (c.name === 'w:br') s += '\n';
      else walk(c);
    }
  };
  walk(node);
  return s;
}

export interface DocxPackage {
  files: Record<string, Uint8Array>;
  /** A part as text; throws if the part is missing. */
  text(part: string): string;
  /** A part parsed as XML; throws if the part is missing. */
  xml(part: string): XmlNode;
}

export function readDocx(buffer: Uint8Array): DocxPackage {
  const files = unzipSync(buffer);
  const text = (part: string) => {
    const f = files[part];
    if (!f) throw new Error(`docx has no part ${part}; parts: ${Object.keys(files).join(', ')}`);
    return strFromU8(f);
  };
  return { files, text, xml: (part) => parseXml(text(part)) };
}

// ---------------------------------------------------------------------------------------------
// External tools
// ---------------------------------------------------------------------------------------------

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

function requireTool(cmd: string, pkg: string): string {
  const p = onPath(cmd);
  if (!p) {
    throw new Error(
      `${cmd} was not found on PATH. The docx rendering tests need it: install ${pkg} ` +
        `(Debian: apt-get install --no-install-recommends ${pkg}).`,
    );
  }
  return p;
}

export const hasSoffice = (): boolean => onPath('soffice') !== null;

const FONTS_CONF = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
${[
  ['仿宋_GB2312', 'Noto Serif CJK SC'],
  ['FangSong', 'Noto Serif CJK SC'],
  ['楷体_GB2312', 'Noto Serif CJK SC'],
  ['KaiTi', 'Noto Serif CJK SC'],
  ['宋体', 'Noto Serif CJK SC'],
  ['SimSun', 'Noto Serif CJK SC'],
  ['黑体', 'Noto Sans CJK SC'],
  ['SimHei', 'Noto Sans CJK SC'],
  ['微软雅黑', 'Noto Sans CJK SC'],
  ['Microsoft YaHei', 'Noto Sans CJK SC'],
]
  .map(
    ([from, to]) =>
      `  <alias binding="strong"><family>${from}</family><prefer><family>${to}</family></prefer></alias>`,
  )
  .join('\n')}
  <match target="pattern">
    <test name="family"><string>方正小标宋简体</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Noto Serif CJK SC</string></edit>
    <edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>
  </match>
</fontconfig>
`;

/** Updates every index (TOC) of a document, then exports it to PDF. Runs inside LibreOffice. */
const UPDATE_MACRO = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub UpdateIndexesToPdf(inUrl As String, outUrl As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  oIndexes = oDoc.getDocumentIndexes()
  For i = 0 To oIndexes.getCount() - 1
    oIndexes.getByIndex(i).update()
  Next i
  Dim p(0) As New com.sun.star.beans.PropertyValue
  p(0).Name = &quot;FilterName&quot;
  p(0).Value = &quot;writer_pdf_Export&quot;
  oDoc.storeToURL(outUrl, p())
  oDoc.close(True)
End Sub
</script:module>
`;

let profileDir: string | null = null;
let profileReady = false;
let queue: Promise<unknown> = Promise.resolve();

function profile(): string {
  if (!profileDir) {
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), `docx-soffice-${process.pid}-`));
    fs.writeFileSync(path.join(profileDir, 'fonts.conf'), FONTS_CONF);
    process.once('exit', () => {
      if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
    });
  }
  return profileDir;
}

function runSoffice(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  const soffice = requireTool('soffice', 'libreoffice-writer-nogui');
  const dir = profile();
  return new Promise((resolve, reject) => {
    const child = spawn(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(path.join(dir, 'profile')).href}`,
        '--headless',
        '--norestore',
        ...args,
      ],
      {
        env: {
          ...process.env,
          // The aliases include the system configuration; without one (not Linux) leave fontconfig alone.
          ...(fs.existsSync('/etc/fonts/fonts.conf')
            ? { FONTCONFIG_FILE: path.join(dir, 'fonts.conf') }
            : {}),
          SAL_USE_VCLPLUGIN: 'svp',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new Error(`soffice did not finish within ${timeoutMs} ms (${args.join(' ')})`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** First start creates the profile; the macro library can only be written into an existing one. */
async function ensureMacro(timeoutMs: number): Promise<void> {
  if (profileReady) return;
  const dir = profile();
  await runSoffice(['--terminate_after_init'], timeoutMs);
  const module = path.join(dir, 'profile', 'user', 'basic', 'Standard', 'Module1.xba');
  if (!fs.existsSync(path.dirname(module))) {
    throw new Error(`LibreOffice did not create its macro library in ${path.dirname(module)}`);
  }
  fs.writeFileSync(module, UPDATE_MACRO);
  profileReady = true;
}

export interface DocxToPdfOptions {
  /** Update tables of contents (as Word does on open with updateFields) before exporting. */
  updateIndexes?: boolean;
  /** Default 90 s (a cold LibreOffice start on a busy machine takes several seconds). */
  timeoutMs?: number;
}

/** Converts .docx bytes to PDF bytes with LibreOffice (headless). */
export function docxToPdf(docx: Uint8Array, options: DocxToPdfOptions = {}): Promise<Buffer> {
  return officeToPdf(docx, options);
}

/** Converts an Office file (.docx, or .pptx / .xlsx with `ext`) to PDF bytes with LibreOffice. */
export function officeToPdf(
  bytes: Uint8Array,
  options: DocxToPdfOptions & { ext?: 'docx' | 'pptx' | 'xlsx' } = {},
): Promise<Buffer> {
  const docx = bytes;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const job = queue.then(async () => {
    const work = fs.mkdtempSync(path.join(profile(), 'job-'));
    try {
      const input = path.join(work, `in.${options.ext ?? 'docx'}`);
      const output = path.join(work, 'in.pdf');
      fs.writeFileSync(input, docx);
      let result: { code: number | null; stderr: string };
      if (options.updateIndexes) {
        await ensureMacro(timeoutMs);
        const url = (p: string) => pathToFileURL(p).href;
        result = await runSoffice(
          ['--invisible', `macro:///Standard.Module1.UpdateIndexesToPdf("${url(input)}","${url(output)}")`],
          timeoutMs,
        );
      } else {
        result = await runSoffice(['--convert-to', 'pdf', '--outdir', work, input], timeoutMs);
      }
      if (!fs.existsSync(output)) {
        throw new Error(`LibreOffice produced no PDF (exit ${String(result.code)}): ${result.stderr.trim()}`);
      }
      return fs.readFileSync(output);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
  queue = job.catch(() => undefined);
  return job;
}

async function withPdfFile<T>(pdf: Uint8Array, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docx-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, pdf);
    return await fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface PdfTextOptions {
  layout?: boolean;
  firstPage?: number;
  lastPage?: number;
}

/** pdftotext; pages are separated by form feeds (\f). */
export function pdfText(pdf: Uint8Array, options: PdfTextOptions = {}): Promise<string> {
  const bin = requireTool('pdftotext', 'poppler-utils');
  return withPdfFile(pdf, async (file) => {
    const args = [
      ...(options.layout ? ['-layout'] : []),
      ...(options.firstPage ? ['-f', String(options.firstPage)] : []),
      ...(options.lastPage ? ['-l', String(options.lastPage)] : []),
      '-enc',
      'UTF-8',
      file,
      '-',
    ];
    const { stdout } = await execFileP(bin, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  });
}

/** The text of each page (1-based index 0 = page 1), from pdftotext -layout. */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const text = await pdfText(pdf, { layout: true });
  const pages = text.split('\f');
  if (pages.length > 1 && (pages[pages.length - 1] ?? '').trim() === '') pages.pop();
  return pages;
}

export interface PdfWord {
  page: number;
  pageWidth: number;
  pageHeight: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Word boxes in points from the top left of the page (pdftotext -bbox). */
export function pdfWords(pdf: Uint8Array): Promise<PdfWord[]> {
  const bin = requireTool('pdftotext', 'poppler-utils');
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await execFileP(bin, ['-bbox', '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const words: PdfWord[] = [];
    let page = 0;
    let pageWidth = 0;
    let pageHeight = 0;
    for (const line of stdout.split('\n')) {
      const p = /<page width="([\d.]+)" height="([\d.]+)">/.exec(line);
      if (p) {
        page++;
        pageWidth = Number(p[1]);
        pageHeight = Number(p[2]);
        continue;
      }
      const w = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(
        line,
      );
      if (w) {
        words.push({
          page,
          pageWidth,
          pageHeight,
          xMin: Number(w[1]),
          yMin: Number(w[2]),
          xMax: Number(w[3]),
          yMax: Number(w[4]),
          text: decode(w[5] ?? ''),
        });
      }
    }
    return words;
  });
}

export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  const bin = requireTool('pdfinfo', 'poppler-utils');
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await execFileP(bin, [file]);
    const m = /^Pages:\s+(\d+)/m.exec(stdout);
    if (!m) throw new Error(`pdfinfo gave no page count: ${stdout}`);
    return Number(m[1]);
  });
}

/** One page as PNG (pdftoppm -png, 60 dpi unless told). */
export function pdfPagePng(pdf: Uint8Array, page: number, options: { dpi?: number } = {}): Promise<Buffer> {
  const bin = requireTool('pdftoppm', 'poppler-utils');
  return withPdfFile(pdf, async (file) => {
    const prefix = path.join(path.dirname(file), 'page');
    const p = String(page);
    await execFileP(bin, [
      '-png',
      '-r',
      String(options.dpi ?? 60),
      '-f',
      p,
      '-l',
      p,
      '-singlefile',
      file,
      prefix,
    ]);
    return fs.readFileSync(`${prefix}.png`);
  });
}

export interface PdfImage {
  page: number;
  width: number;
  height: number;
  xPpi: number;
  yPpi: number;
}

/** The images placed in a PDF (pdfimages -list): pixel size and resolution as placed. */
export function pdfImages(pdf: Uint8Array): Promise<PdfImage[]> {
  const bin = requireTool('pdfimages', 'poppler-utils');
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await execFileP(bin, ['-list', file]);
    return stdout
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/))
      .filter((c) => c.length >= 14 && c[2] === 'image')
      .map((c) => ({
        page: Number(c[0]),
        width: Number(c[3]),
        height: Number(c[4]),
        xPpi: Number(c[12]),
        yPpi: Number(c[13]),
      }));
  });
}

export const PT_PER_MM = 72 / 25.4;
