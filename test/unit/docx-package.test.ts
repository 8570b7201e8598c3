/**
 * The docx writer's own XML and zip code (main/core/documents/docx-package.ts, docx.ts): escaping,
 * the zip container read back by other readers, images stored once, and table-of-contents bookmarks.
 * The GB/T 9704 layout itself is checked in documents-docx.test.ts and documents-render.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { renderDocx } from '../../main/core/documents/docx';
import { escapeXml, zip } from '../../main/core/documents/docx-package';
import * as m from '../../main/core/documents/model';
import { CREATED, barChartPng, SMALL_JPEG } from '../fixtures/documents/models';
import { findAll, parseXml, readDocx, wText } from '../helpers/docx';

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
  });

  it('drops the control characters XML 1.0 does not allow and keeps tab, line feed and carriage return', () => {
    expect(escapeXml('a\u0000b\u0001c\u0008d\u000be\u000cf\u000eg\u001fh')).toBe('abcdefgh');
    expect(escapeXml('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });

  it('leaves other text as it is (the same string when nothing needs escaping)', () => {
    const s = '信用体系建设　Times New Roman 😀 —';
    expect(escapeXml(s)).toBe(s);
  });
});

describe('zip', () => {
  const entries = [
    { name: 'a.xml', data: new TextEncoder().encode('<a>信用</a>'.repeat(200)) },
    { name: 'empty.txt', data: new Uint8Array(0) },
    { name: 'media/目录.png', data: barChartPng(), store: true },
  ];

  it('is read back entry for entry', () => {
    const files = unzipSync(zip(entries));
    expect(Object.keys(files)).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(files[e.name]).toEqual(e.data);
  });

  it('deflates text and stores images as they are', () => {
    const [text, , image] = entries;
    if (!text || !image) throw new Error('entries');
    expect(zip([text]).length).toBeLessThan(text.data.length / 10);
    expect(zip([image]).indexOf(Buffer.from(image.data))).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    expect(zip(entries).equals(zip(entries))).toBe(true);
  });

  it.skipIf(!hasPython)('passes another reader’s integrity check (Python zipfile)', () => {
    const out = execFileSync(
      'python3',
      [
        '-c',
        'import io,sys,zipfile; z=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())); ' +
          'print(z.testzip(), [i.compress_type for i in z.infolist()], [i.filename for i in z.infolist()])',
      ],
      { input: zip(entries), encoding: 'utf8' },
    );
    expect(out.trim()).toBe("None [8, 8, 0] ['a.xml', 'empty.txt', 'media/目录.png']");
  });
});

describe('renderDocx: text and images', () => {
  it('writes special characters escaped and leaves out control characters', async () => {
    const pkg = readDocx(
      await renderDocx(
        m.doc({ title: 'A&B <C>', created: CREATED }, [
          m.paragraph(`a&b <c> "d" 'e' f\u0001g`),
          m.table([1], [['表头'], ['x<y & z']]),
        ]),
      ),
    );
    const texts = findAll(pkg.xml('word/document.xml'), 'w:p').map(wText);
    expect(texts).toContain(`a&b <c> "d" 'e' fg`);
    expect(texts).toContain('x<y & z');
    expect(pkg.text('docProps/core.xml')).toContain('<dc:title>A&amp;B &lt;C&gt;</dc:title>');
  });

  it('stores a picture used twice once; each drawing has its own id', async () => {
    const chart = barChartPng();
    const pkg = readDocx(
      await renderDocx(
        m.doc({ title: '图片', created: CREATED }, [
          m.image(chart, 'image/png', { caption: '图1' }),
          m.image(SMALL_JPEG, 'image/jpeg'),
          m.image(chart, 'image/png', { caption: '图2' }),
        ]),
      ),
    );
    expect(Object.keys(pkg.files).filter((f) => f.startsWith('word/media/'))).toEqual([
      'word/media/image1.png',
      'word/media/image1.jpg',
    ]);
    const doc = pkg.xml('word/document.xml');
    expect(findAll(doc, 'wp:docPr').map((d) => d.attrs.id)).toEqual(['1', '2', '3']);
    const embeds = findAll(doc, 'a:blip').map((b) => b.attrs['r:embed']);
    expect(embeds[0]).toBe(embeds[2]);
    expect(embeds[1]).not.toBe(embeds[0]);
    const rels = parseXml(pkg.text('word/_rels/document.xml.rels'));
    const target = (id: string | undefined) =>
      findAll(rels, 'Relationship').find((r) => r.attrs.Id === id)?.attrs.Target;
    expect(target(embeds[0])).toBe('media/image1.png');
    expect(target(embeds[1])).toBe('media/image1.jpg');
    // every relationship id is unique
    const ids = findAll(rels, 'Relationship').map((r) => r.attrs.Id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('bookmarks the headings a table of contents lists, in document order, and links its entries to them', async () => {
    const pkg = readDocx(
      await renderDocx(
        m.doc({ title: '目录', created: CREATED }, [
          m.toc({ levels: 1 }),
          m.heading(1, '甲'),
          m.heading(2, '不在目录中'),
          m.heading(1, '乙', { runIn: '接排正文。' }),
          m.heading(1, '　', { numbered: false }),
        ]),
      ),
    );
    const xml = pkg.text('word/document.xml');
    expect(
      [...xml.matchAll(/<w:bookmarkStart w:name="(_Toc\d+)" w:id="(\d+)"\/>/g)].map((x) => x[1]),
    ).toEqual(['_Toc1', '_Toc2']);
    const sdt = findAll(pkg.xml('word/document.xml'), 'w:sdtContent')[0];
    if (!sdt) throw new Error('no TOC');
    const links = findAll(sdt, 'w:hyperlink');
    expect(links.map((l) => l.attrs['w:anchor'])).toEqual(['_Toc1', '_Toc2']);
    expect(links.map((l) => wText(l).split('\t')[0])).toEqual(['一、甲', '二、乙接排正文。']);
    expect(strFromU8(pkg.files['word/settings.xml'] ?? new Uint8Array())).toContain('<w:updateFields/>');
  });
});
