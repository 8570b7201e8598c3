/**
 * The parts of a .docx package around the body (document.xml), as strings, and the zip they go in.
 *
 * These are the parts the `docx` package wrote for our documents until the writer produced the XML
 * itself (docx.ts): the same relationships, content types, settings, properties, footers,
 * footnote/endnote separators, bullet numbering and Office theme, byte for byte, so documents read
 * exactly as before in Word, WPS and LibreOffice. Nothing here depends on the document's text.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import {
  FOOTER_DISTANCE,
  LINE_PITCH,
  CHAR_SPACE,
  MARGIN,
  PAGE,
  PAGE_NUMBER_SPACE,
  STYLE,
  TWIPS_PER_MM,
} from './gbt9704';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
const XML_DECL_STANDALONE = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Namespaces declared on the WordprocessingML parts (footers, notes, settings, numbering). */
const WORD_NAMESPACES: readonly (readonly [string, string])[] = [
  ['wpc', 'http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas'],
  ['mc', 'http://schemas.openxmlformats.org/markup-compatibility/2006'],
  ['o', 'urn:schemas-microsoft-com:office:office'],
  ['r', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'],
  ['m', 'http://schemas.openxmlformats.org/officeDocument/2006/math'],
  ['v', 'urn:schemas-microsoft-com:vml'],
  ['wp14', 'http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing'],
  ['wp', 'http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'],
  ['w10', 'urn:schemas-microsoft-com:office:word'],
  ['w', 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'],
  ['w14', 'http://schemas.microsoft.com/office/word/2010/wordml'],
  ['w15', 'http://schemas.microsoft.com/office/word/2012/wordml'],
  ['wpg', 'http://schemas.microsoft.com/office/word/2010/wordprocessingGroup'],
  ['wpi', 'http://schemas.microsoft.com/office/word/2010/wordprocessingInk'],
  ['wne', 'http://schemas.microsoft.com/office/word/2006/wordml'],
  ['wps', 'http://schemas.microsoft.com/office/word/2010/wordprocessingShape'],
];
/** document.xml declares these as well. */
const DOCUMENT_NAMESPACES: readonly (readonly [string, string])[] = [
  ...WORD_NAMESPACES,
  ['cx', 'http://schemas.microsoft.com/office/drawing/2014/chartex'],
  ['cx1', 'http://schemas.microsoft.com/office/drawing/2015/9/8/chartex'],
  ['cx2', 'http://schemas.microsoft.com/office/drawing/2015/10/21/chartex'],
  ['cx3', 'http://schemas.microsoft.com/office/drawing/2016/5/9/chartex'],
  ['cx4', 'http://schemas.microsoft.com/office/drawing/2016/5/10/chartex'],
  ['cx5', 'http://schemas.microsoft.com/office/drawing/2016/5/11/chartex'],
  ['cx6', 'http://schemas.microsoft.com/office/drawing/2016/5/12/chartex'],
  ['cx7', 'http://schemas.microsoft.com/office/drawing/2016/5/13/chartex'],
  ['cx8', 'http://schemas.microsoft.com/office/drawing/2016/5/14/chartex'],
  ['aink', 'http://schemas.microsoft.com/office/drawing/2016/ink'],
  ['am3d', 'http://schemas.microsoft.com/office/drawing/2017/model3d'],
  ['w16cex', 'http://schemas.microsoft.com/office/word/2018/wordml/cex'],
  ['w16cid', 'http://schemas.microsoft.com/office/word/2016/wordml/cid'],
  ['w16', 'http://schemas.microsoft.com/office/word/2018/wordml'],
  ['w16sdtdh', 'http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash'],
  ['w16se', 'http://schemas.microsoft.com/office/word/2015/wordml/symex'],
];
const xmlns = (list: readonly (readonly [string, string])[]) =>
  list.map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`).join('');
const WORD_NS = xmlns(WORD_NAMESPACES);
const IGNORABLE = ' mc:Ignorable="w14 w15 wp14"';

/** The start of document.xml up to and including <w:body>. */
export const DOCUMENT_START = `${XML_DECL_STANDALONE}<w:document${IGNORABLE}${xmlns(DOCUMENT_NAMESPACES)}><w:body>`;
export const DOCUMENT_END = '</w:body></w:document>';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '<': '&lt;',
  '>': '&gt;',
};
// Characters XML 1.0 does not allow (C0 controls other than tab, line feed and carriage return) are dropped.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/;
// eslint-disable-next-line no-control-regex
const SPECIAL_ALL = /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g;

/** Text or an attribute value as XML: the five special characters escaped, disallowed controls dropped. */
export function escapeXml(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? '') : s;
}

// ---------------------------------------------------------------------------------------------
// Page setup
// ---------------------------------------------------------------------------------------------

/** Relationship ids of the two page-number footers (odd pages use the default footer). */
const FOOTER_ODD_RID = 'rId6';
const FOOTER_EVEN_RID = 'rId7';

/**
 * w:sectPr of a section: A4 portrait, the GB/T 9704 margins and document grid; the body section
 * restarts page numbering at 1 and carries the page-number footers, when there are any.
 */
export function sectionPropertiesXml(opts: { first: boolean; body: boolean; footers: boolean }): string {
  return (
    '<w:sectPr>' +
    (opts.footers
      ? `<w:footerReference w:type="default" r:id="${FOOTER_ODD_RID}"/>` +
        `<w:footerReference w:type="even" r:id="${FOOTER_EVEN_RID}"/>`
      : '') +
    (opts.first ? '' : '<w:type w:val="nextPage"/>') +
    `<w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}" w:orient="portrait"/>` +
    `<w:pgMar w:top="${MARGIN.top}" w:right="${MARGIN.right}" w:bottom="${MARGIN.bottom}" w:left="${MARGIN.left}"` +
    ` w:header="${Math.round(15 * TWIPS_PER_MM)}" w:footer="${FOOTER_DISTANCE}" w:gutter="0"/>` +
    (opts.body ? '<w:pgNumType w:start="1"/>' : '<w:pgNumType/>') +
    `<w:docGrid w:type="linesAndChars" w:linePitch="${LINE_PITCH}" w:charSpace="${CHAR_SPACE}"/>` +
    '</w:sectPr>'
  );
}

/** "— n —" in 4号 宋体 (style Footer), odd pages right and even pages left, one character in from the edge. */
function footerXml(side: 'odd' | 'even'): string {
  const dash = (text: string) =>
    `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">${text}</w:t></w:r>`;
  return (
    `${XML_DECL}<w:ftr${WORD_NS}><w:p><w:pPr><w:pStyle w:val="${STYLE.footer}"/>` +
    (side === 'odd'
      ? `<w:ind w:right="${PAGE_NUMBER_SPACE}"/><w:jc w:val="right"/>`
      : `<w:ind w:left="${PAGE_NUMBER_SPACE}"/><w:jc w:val="left"/>`) +
    `</w:pPr>${dash('— ')}` +
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">PAGE</w:instrText></w:r>' +
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>' +
    `${dash(' —')}</w:p></w:ftr>`
  );
}

// ---------------------------------------------------------------------------------------------
// Package parts
// ---------------------------------------------------------------------------------------------

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const CT = 'application/vnd.openxmlformats-officedocument';

function relationshipsXml(rels: readonly (readonly [type: string, target: string])[]): string {
  return (
    `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    rels
      .map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`)
      .join('') +
    '</Relationships>'
  );
}

const EMPTY_RELS = `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>`;

function contentTypesXml(footers: boolean): string {
  const defaults: [string, string][] = [
    ['image/png', 'png'],
    ['image/jpeg', 'jpeg'],
    ['image/jpeg', 'jpg'],
    ['image/bmp', 'bmp'],
    ['image/gif', 'gif'],
    ['image/svg+xml', 'svg'],
    ['application/vnd.openxmlformats-package.relationships+xml', 'rels'],
    ['application/xml', 'xml'],
    [`${CT}.obfuscatedFont`, 'odttf'],
  ];
  const overrides: [string, string][] = [
    [`${CT}.wordprocessingml.document.main+xml`, '/word/document.xml'],
    [`${CT}.wordprocessingml.styles+xml`, '/word/styles.xml'],
    ['application/vnd.openxmlformats-package.core-properties+xml', '/docProps/core.xml'],
    [`${CT}.custom-properties+xml`, '/docProps/custom.xml'],
    [`${CT}.extended-properties+xml`, '/docProps/app.xml'],
    [`${CT}.wordprocessingml.numbering+xml`, '/word/numbering.xml'],
    [`${CT}.wordprocessingml.footnotes+xml`, '/word/footnotes.xml'],
    [`${CT}.wordprocessingml.endnotes+xml`, '/word/endnotes.xml'],
    [`${CT}.wordprocessingml.settings+xml`, '/word/settings.xml'],
    [`${CT}.wordprocessingml.fontTable+xml`, '/word/fontTable.xml'],
    [`${CT}.theme+xml`, '/word/theme/theme1.xml'],
    ...(footers
      ? ([
          [`${CT}.wordprocessingml.footer+xml`, '/word/footer1.xml'],
          [`${CT}.wordprocessingml.footer+xml`, '/word/footer2.xml'],
        ] as [string, string][])
      : []),
  ];
  return (
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    defaults.map(([type, ext]) => `<Default ContentType="${type}" Extension="${ext}"/>`).join('') +
    overrides.map(([type, part]) => `<Override ContentType="${type}" PartName="${part}"/>`).join('') +
    '</Types>'
  );
}

const ROOT_RELS = relationshipsXml([
  [`${REL}/officeDocument`, 'word/document.xml'],
  [
    'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties',
    'docProps/core.xml',
  ],
  [`${REL}/extended-properties`, 'docProps/app.xml'],
  [`${REL}/custom-properties`, 'docProps/custom.xml'],
]);

/** docProps/app.xml and docProps/custom.xml: empty. */
const propertiesXml = (kind: 'extended' | 'custom') =>
  `${XML_DECL_STANDALONE}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/${kind}-properties"` +
  ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';

/** The separator and continuation separator every document's footnotes and endnotes part has. */
function notesXml(kind: 'footnote' | 'endnote'): string {
  const Kind = kind === 'footnote' ? 'Footnote' : 'Endnote';
  const note = (type: string, id: number, mark: string) =>
    `<w:${kind} w:type="${type}" w:id="${id}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
    `<w:r><w:rPr><w:rStyle w:val="${Kind}Reference"/></w:rPr><w:${kind}Ref/></w:r><w:r><w:${mark}/></w:r></w:p></w:${kind}>`;
  return (
    `${kind === 'footnote' ? XML_DECL_STANDALONE : XML_DECL}<w:${kind}s${WORD_NS}${IGNORABLE}>` +
    `${note('separator', -1, 'separator')}${note('continuationSeparator', 0, 'continuationSeparator')}</w:${kind}s>`
  );
}

/** One bullet list definition (●, ○, ■ by level), which no paragraph uses: lists are written as text. */
function numberingXml(): string {
  const bullets = ['●', '○', '■', '●', '○', '■', '●', '●', '●'];
  const levels = bullets
    .map(
      (b, i) =>
        `<w:lvl w:ilvl="${i}" w:tentative="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="${b}"/>` +
        `<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="${720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>`,
    )
    .join('');
  return (
    `${XML_DECL_STANDALONE}<w:numbering${IGNORABLE}${WORD_NS}>` +
    `<w:abstractNum w:abstractNumId="1" w15:restartNumberingAfterBreak="0"><w:multiLevelType w:val="hybridMultilevel"/>${levels}</w:abstractNum>` +
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>' +
    '</w:numbering>'
  );
}

function settingsXml(opts: { evenAndOddFooters: boolean; updateFields: boolean }): string {
  return (
    `${XML_DECL_STANDALONE}<w:settings${WORD_NS}${IGNORABLE}><w:displayBackgroundShape/><w:defaultTabStop w:val="720"/>` +
    (opts.evenAndOddFooters ? '<w:evenAndOddHeaders/>' : '<w:evenAndOddHeaders w:val="false"/>') +
    (opts.updateFields ? '<w:updateFields/>' : '') +
    '<w:compat><w:compatSetting w:val="15" w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"/></w:compat>' +
    '</w:settings>'
  );
}

export interface CoreProperties {
  title: string;
  subject?: string;
  creator?: string;
  keywords?: string;
  description?: string;
  /** Written as both the created and the modified date. */
  created: Date;
}

/** W3CDTF without milliseconds, as Word writes it. */
function w3cdtf(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function corePropertiesXml(p: CoreProperties): string {
  const el = (name: string, value: string | undefined) =>
    value ? `<${name}>${escapeXml(value)}</${name}>` : '';
  const stamp = (name: string) => `<${name} xsi:type="dcterms:W3CDTF">${w3cdtf(p.created)}</${name}>`;
  return (
    `${XML_DECL_STANDALONE}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    el('dc:title', p.title) +
    el('dc:subject', p.subject) +
    el('dc:creator', p.creator) +
    el('cp:keywords', p.keywords) +
    el('dc:description', p.description) +
    el('cp:lastModifiedBy', p.creator) +
    '<cp:revision>1</cp:revision>' +
    stamp('dcterms:created') +
    stamp('dcterms:modified') +
    '</cp:coreProperties>'
  );
}

/**
 * Styles the package has besides the preset's (gbt9704.ts stylesXml): Word's defaults for heading 5–6,
 * toc 5–9, hyperlinks, footnote and endnote text and references (the separators above use them), and a
 * few more, after w:docDefaults. None of them has an id the preset defines.
 */
const PACKAGE_STYLES =
  '<w:style w:type="paragraph" w:styleId="Heading5"><w:name w:val="Heading 5"/>' +
  '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="2E74B5"/>' +
  '</w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading6"><w:name w:val="Heading 6"/>' +
  '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:color w:val="1F4D78"/>' +
  '</w:rPr></w:style><w:style w:type="paragraph" w:styleId="Strong"><w:name w:val="Strong"/>' +
  '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr>' +
  '</w:style><w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>' +
  '<w:basedOn w:val="Normal"/><w:qFormat/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography"/>' +
  '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="37"/><w:unhideWhenUsed/>' +
  '</w:style><w:style w:type="paragraph" w:styleId="TOC5"><w:name w:val="toc 5"/>' +
  '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/>' +
  '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="100"/><w:ind w:left="800"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="TOC6"><w:name w:val="toc 6"/><w:basedOn w:val="Normal"/>' +
  '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr>' +
  '<w:spacing w:after="100"/><w:ind w:left="1000"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="TOC7"><w:name w:val="toc 7"/><w:basedOn w:val="Normal"/>' +
  '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr>' +
  '<w:spacing w:after="100"/><w:ind w:left="1200"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="TOC8"><w:name w:val="toc 8"/><w:basedOn w:val="Normal"/>' +
  '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr>' +
  '<w:spacing w:after="100"/><w:ind w:left="1400"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="TOC9"><w:name w:val="toc 9"/><w:basedOn w:val="Normal"/>' +
  '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:semiHidden/><w:unhideWhenUsed/><w:pPr>' +
  '<w:spacing w:after="100"/><w:ind w:left="1600"/></w:pPr></w:style>' +
  '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>' +
  '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr>' +
  '<w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>' +
  '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>' +
  '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/>' +
  '<w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>' +
  '<w:basedOn w:val="Normal"/><w:link w:val="FootnoteTextChar"/><w:uiPriority w:val="99"/>' +
  '<w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>' +
  '</w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>' +
  '<w:style w:type="character" w:styleId="FootnoteTextChar"><w:name w:val="Footnote Text Char"/>' +
  '<w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="FootnoteText"/>' +
  '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:sz w:val="20"/>' +
  '<w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="character" w:styleId="EndnoteReference">' +
  '<w:name w:val="endnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>' +
  '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr>' +
  '<w:vertAlign w:val="superscript"/></w:rPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="EndnoteText"><w:name w:val="endnote text"/>' +
  '<w:basedOn w:val="Normal"/><w:link w:val="EndnoteTextChar"/><w:uiPriority w:val="99"/>' +
  '<w:semiHidden/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>' +
  '</w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>' +
  '<w:style w:type="character" w:styleId="EndnoteTextChar"><w:name w:val="Endnote Text Char"/>' +
  '<w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="EndnoteText"/><w:uiPriority w:val="99"/>' +
  '<w:semiHidden/><w:unhideWhenUsed/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>' +
  '</w:style><w:style w:type="character" w:styleId="LineNumber"><w:name w:val="line number"/>' +
  '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/>' +
  '<w:unhideWhenUsed/></w:style>';

/** styles.xml: the preset's styles (gbt9704.ts) with the package's (above) after the defaults. */
function withPackageStyles(presetStyles: string): string {
  const at = presetStyles.indexOf('</w:docDefaults>') + '</w:docDefaults>'.length;
  return presetStyles.slice(0, at) + PACKAGE_STYLES + presetStyles.slice(at);
}

/** The Office theme (colours and fonts), which Word writes into every document. */
const THEME_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">' +
  '<a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/>' +
  '</a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/>' +
  '</a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>' +
  '<a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3>' +
  '<a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="5B9BD5"/></a:accent5>' +
  '<a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink>' +
  '<a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme><a:fontScheme name="Office">' +
  '<a:majorFont><a:latin typeface="Calibri Light" panose="020F0302020204030204"/>' +
  '<a:ea typeface=""/><a:cs typeface=""/><a:font script="Jpan" typeface="游ゴシック Light"/>' +
  '<a:font script="Hang" typeface="맑은 고딕"/><a:font script="Hans" typeface="等线 Light"/>' +
  '<a:font script="Hant" typeface="新細明體"/><a:font script="Arab" typeface="Times New Roman"/>' +
  '<a:font script="Hebr" typeface="Times New Roman"/><a:font script="Thai" typeface="Angsana New"/>' +
  '<a:font script="Ethi" typeface="Nyala"/><a:font script="Beng" typeface="Vrinda"/>' +
  '<a:font script="Gujr" typeface="Shruti"/><a:font script="Khmr" typeface="MoolBoran"/>' +
  '<a:font script="Knda" typeface="Tunga"/><a:font script="Guru" typeface="Raavi"/>' +
  '<a:font script="Cans" typeface="Euphemia"/>' +
  '<a:font script="Cher" typeface="Plantagenet Cherokee"/>' +
  '<a:font script="Yiii" typeface="Microsoft Yi Baiti"/>' +
  '<a:font script="Tibt" typeface="Microsoft Himalaya"/><a:font script="Thaa" typeface="MV Boli"/>' +
  '<a:font script="Deva" typeface="Mangal"/><a:font script="Telu" typeface="Gautami"/>' +
  '<a:font script="Taml" typeface="Latha"/><a:font script="Syrc" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Orya" typeface="Kalinga"/><a:font script="Mlym" typeface="Kartika"/>' +
  '<a:font script="Laoo" typeface="DokChampa"/><a:font script="Sinh" typeface="Iskoola Pota"/>' +
  '<a:font script="Mong" typeface="Mongolian Baiti"/>' +
  '<a:font script="Viet" typeface="Times New Roman"/>' +
  '<a:font script="Uigh" typeface="Microsoft Uighur"/><a:font script="Geor" typeface="Sylfaen"/>' +
  '<a:font script="Armn" typeface="Arial"/><a:font script="Bugi" typeface="Leelawadee UI"/>' +
  '<a:font script="Bopo" typeface="Microsoft JhengHei"/>' +
  '<a:font script="Java" typeface="Javanese Text"/><a:font script="Lisu" typeface="Segoe UI"/>' +
  '<a:font script="Mymr" typeface="Myanmar Text"/><a:font script="Nkoo" typeface="Ebrima"/>' +
  '<a:font script="Olck" typeface="Nirmala UI"/><a:font script="Osma" typeface="Ebrima"/>' +
  '<a:font script="Phag" typeface="Phagspa"/><a:font script="Syrn" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Syrj" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Syre" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Sora" typeface="Nirmala UI"/><a:font script="Tale" typeface="Microsoft Tai Le"/>' +
  '<a:font script="Talu" typeface="Microsoft New Tai Lue"/>' +
  '<a:font script="Tfng" typeface="Ebrima"/></a:majorFont><a:minorFont>' +
  '<a:latin typeface="Calibri" panose="020F0502020204030204"/><a:ea typeface=""/>' +
  '<a:cs typeface=""/><a:font script="Jpan" typeface="游明朝"/>' +
  '<a:font script="Hang" typeface="맑은 고딕"/><a:font script="Hans" typeface="等线"/>' +
  '<a:font script="Hant" typeface="新細明體"/><a:font script="Arab" typeface="Arial"/>' +
  '<a:font script="Hebr" typeface="Arial"/><a:font script="Thai" typeface="Cordia New"/>' +
  '<a:font script="Ethi" typeface="Nyala"/><a:font script="Beng" typeface="Vrinda"/>' +
  '<a:font script="Gujr" typeface="Shruti"/><a:font script="Khmr" typeface="DaunPenh"/>' +
  '<a:font script="Knda" typeface="Tunga"/><a:font script="Guru" typeface="Raavi"/>' +
  '<a:font script="Cans" typeface="Euphemia"/>' +
  '<a:font script="Cher" typeface="Plantagenet Cherokee"/>' +
  '<a:font script="Yiii" typeface="Microsoft Yi Baiti"/>' +
  '<a:font script="Tibt" typeface="Microsoft Himalaya"/><a:font script="Thaa" typeface="MV Boli"/>' +
  '<a:font script="Deva" typeface="Mangal"/><a:font script="Telu" typeface="Gautami"/>' +
  '<a:font script="Taml" typeface="Latha"/><a:font script="Syrc" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Orya" typeface="Kalinga"/><a:font script="Mlym" typeface="Kartika"/>' +
  '<a:font script="Laoo" typeface="DokChampa"/><a:font script="Sinh" typeface="Iskoola Pota"/>' +
  '<a:font script="Mong" typeface="Mongolian Baiti"/><a:font script="Viet" typeface="Arial"/>' +
  '<a:font script="Uigh" typeface="Microsoft Uighur"/><a:font script="Geor" typeface="Sylfaen"/>' +
  '<a:font script="Armn" typeface="Arial"/><a:font script="Bugi" typeface="Leelawadee UI"/>' +
  '<a:font script="Bopo" typeface="Microsoft JhengHei"/>' +
  '<a:font script="Java" typeface="Javanese Text"/><a:font script="Lisu" typeface="Segoe UI"/>' +
  '<a:font script="Mymr" typeface="Myanmar Text"/><a:font script="Nkoo" typeface="Ebrima"/>' +
  '<a:font script="Olck" typeface="Nirmala UI"/><a:font script="Osma" typeface="Ebrima"/>' +
  '<a:font script="Phag" typeface="Phagspa"/><a:font script="Syrn" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Syrj" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Syre" typeface="Estrangelo Edessa"/>' +
  '<a:font script="Sora" typeface="Nirmala UI"/><a:font script="Tale" typeface="Microsoft Tai Le"/>' +
  '<a:font script="Talu" typeface="Microsoft New Tai Lue"/>' +
  '<a:font script="Tfng" typeface="Ebrima"/></a:minorFont></a:fontScheme>' +
  '<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>' +
  '<a:gradFill rotWithShape="true"><a:gsLst><a:gs pos="0"><a:schemeClr val="phClr">' +
  '<a:lumMod val="110000"/><a:satMod val="105000"/><a:tint val="67000"/></a:schemeClr></a:gs>' +
  '<a:gs pos="50000"><a:schemeClr val="phClr"><a:lumMod val="105000"/><a:satMod val="103000"/>' +
  '<a:tint val="73000"/></a:schemeClr></a:gs><a:gs pos="100000"><a:schemeClr val="phClr">' +
  '<a:lumMod val="105000"/><a:satMod val="109000"/><a:tint val="81000"/></a:schemeClr></a:gs>' +
  '</a:gsLst><a:lin ang="5400000" scaled="false"/></a:gradFill><a:gradFill rotWithShape="true">' +
  '<a:gsLst><a:gs pos="0"><a:schemeClr val="phClr"><a:satMod val="103000"/><a:lumMod val="102000"/>' +
  '<a:tint val="94000"/></a:schemeClr></a:gs><a:gs pos="50000"><a:schemeClr val="phClr">' +
  '<a:satMod val="110000"/><a:lumMod val="100000"/><a:shade val="100000"/></a:schemeClr></a:gs>' +
  '<a:gs pos="100000"><a:schemeClr val="phClr"><a:lumMod val="99000"/><a:satMod val="120000"/>' +
  '<a:shade val="78000"/></a:schemeClr></a:gs></a:gsLst><a:lin ang="5400000" scaled="false"/>' +
  '</a:gradFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350" cap="flat" cmpd="sng" algn="ctr">' +
  '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/>' +
  '<a:miter lim="800000"/></a:ln><a:ln w="12700" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>' +
  '<a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>' +
  '<a:ln w="19050" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>' +
  '</a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln></a:lnStyleLst>' +
  '<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/>' +
  '</a:effectStyle><a:effectStyle><a:effectLst>' +
  '<a:outerShdw blurRad="57150" dist="19050" dir="5400000" algn="ctr" rotWithShape="false">' +
  '<a:srgbClr val="000000"><a:alpha val="63000"/></a:srgbClr></a:outerShdw></a:effectLst>' +
  '</a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/>' +
  '</a:solidFill><a:solidFill><a:schemeClr val="phClr"><a:tint val="95000"/>' +
  '<a:satMod val="170000"/></a:schemeClr></a:solidFill><a:gradFill rotWithShape="true"><a:gsLst>' +
  '<a:gs pos="0"><a:schemeClr val="phClr"><a:tint val="93000"/><a:satMod val="150000"/>' +
  '<a:shade val="98000"/><a:lumMod val="102000"/></a:schemeClr></a:gs><a:gs pos="50000">' +
  '<a:schemeClr val="phClr"><a:tint val="98000"/><a:satMod val="130000"/><a:shade val="90000"/>' +
  '<a:lumMod val="103000"/></a:schemeClr></a:gs><a:gs pos="100000"><a:schemeClr val="phClr">' +
  '<a:shade val="63000"/><a:satMod val="120000"/></a:schemeClr></a:gs></a:gsLst>' +
  '<a:lin ang="5400000" scaled="false"/></a:gradFill></a:bgFillStyleLst></a:fmtScheme>' +
  '</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>';

// ---------------------------------------------------------------------------------------------
// The package
// ---------------------------------------------------------------------------------------------

export interface MediaPart {
  /** Under word/, e.g. "media/image1.png". */
  path: string;
  data: Uint8Array;
}

export interface PackageInput {
  /** word/document.xml, from DOCUMENT_START to DOCUMENT_END. */
  document: string;
  /** word/styles.xml as the preset writes it (gbt9704.ts stylesXml). */
  styles: string;
  /** word/fontTable.xml. */
  fontTable: string;
  /** The page-number footers exist (the body section refers to them with sectionPropertiesXml). */
  footers: boolean;
  updateFields: boolean;
  /** The images, in the order of their relationships (see imageRelationshipId). */
  media: readonly MediaPart[];
  core: CoreProperties;
}

/** The relationship id of the n-th image (from 1) in word/_rels/document.xml.rels. */
export function imageRelationshipId(n: number, footers: boolean): string {
  // styles, numbering, footnotes, endnotes, settings, (two footers,) theme, then the images
  return `rId${(footers ? 8 : 6) + n}`;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** The .docx bytes. PNG and JPEG images are stored, everything else deflated. */
export function docxPackage(p: PackageInput): Buffer {
  const documentRels = relationshipsXml([
    [`${REL}/styles`, 'styles.xml'],
    [`${REL}/numbering`, 'numbering.xml'],
    [`${REL}/footnotes`, 'footnotes.xml'],
    [`${REL}/endnotes`, 'endnotes.xml'],
    [`${REL}/settings`, 'settings.xml'],
    ...(p.footers
      ? ([
          [`${REL}/footer`, 'footer1.xml'],
          [`${REL}/footer`, 'footer2.xml'],
        ] as const)
      : []),
    [`${REL}/theme`, 'theme/theme1.xml'],
    ...p.media.map((m) => [`${REL}/image`, m.path] as const),
    [`${REL}/fontTable`, 'fontTable.xml'],
  ]);
  const entries: ZipEntry[] = [
    { name: '[Content_Types].xml', data: utf8(contentTypesXml(p.footers)) },
    { name: 'word/_rels/document.xml.rels', data: utf8(documentRels) },
    { name: 'word/document.xml', data: utf8(p.document) },
    { name: 'word/styles.xml', data: utf8(withPackageStyles(p.styles)) },
    { name: 'docProps/core.xml', data: utf8(corePropertiesXml(p.core)) },
    { name: '_rels/.rels', data: utf8(ROOT_RELS) },
    ...(p.footers
      ? [
          { name: 'word/_rels/footer1.xml.rels', data: utf8(EMPTY_RELS) },
          { name: 'word/_rels/footer2.xml.rels', data: utf8(EMPTY_RELS) },
          { name: 'word/footer1.xml', data: utf8(footerXml('odd')) },
          { name: 'word/footer2.xml', data: utf8(footerXml('even')) },
        ]
      : []),
    { name: 'docProps/custom.xml', data: utf8(propertiesXml('custom')) },
    { name: 'docProps/app.xml', data: utf8(propertiesXml('extended')) },
    { name: 'word/footnotes.xml', data: utf8(notesXml('footnote')) },
    { name: 'word/_rels/footnotes.xml.rels', data: utf8(EMPTY_RELS) },
    { name: 'word/endnotes.xml', data: utf8(notesXml('endnote')) },
    { name: 'word/_rels/endnotes.xml.rels', data: utf8(EMPTY_RELS) },
    {
      name: 'word/settings.xml',
      data: utf8(settingsXml({ evenAndOddFooters: p.footers, updateFields: p.updateFields })),
    },
    { name: 'word/fontTable.xml', data: utf8(p.fontTable) },
    { name: 'word/_rels/fontTable.xml.rels', data: utf8(EMPTY_RELS) },
    { name: 'word/theme/theme1.xml', data: utf8(THEME_XML) },
    { name: 'word/numbering.xml', data: utf8(numberingXml()) },
    ...p.media.map((m) => ({ name: `word/${m.path}`, data: m.data, store: true })),
  ];
  return zip(entries);
}

// ---------------------------------------------------------------------------------------------
// Zip
// ---------------------------------------------------------------------------------------------

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Stored as is (already compressed data such as PNG and JPEG), else deflated. */
  store?: boolean;
}

/** 2020-01-01 00:00:00 as an MS-DOS date and time: fixed, so the same document gives the same bytes. */
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/**
 * A zip archive (no zip64: entries and the archive under 4 GB), deflating with zlib — native, so a
 * long report's XML takes milliseconds, where a JavaScript deflate takes tens of them. Level 1 takes
 * half the time of the default level 6; the XML comes out half as large again (a 150-page report's
 * document.xml: 36 KB instead of 24 KB), which costs nothing that matters.
 */
export function zip(entries: readonly ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new RangeError('zip: more than 65,535 entries');
  const chunks: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.store ? e.data : deflateRawSync(e.data, { level: 1 });
    const crc = crc32(e.data);
    if (e.data.length > 0xfffffffe || offset > 0xfffffffe) throw new RangeError('zip: larger than 4 GB');
    // bit 11: the name is UTF-8
    const flags = /^[\x20-\x7e]*$/.test(e.name) ? 0 : 0x800;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4); // version needed: 2.0
    header.writeUInt16LE(flags, 6);
    header.writeUInt16LE(e.store ? 0 : 8, 8);
    header.writeUInt16LE(DOS_TIME, 10);
    header.writeUInt16LE(DOS_DATE, 12);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(body.length, 18);
    header.writeUInt32LE(e.data.length, 22);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    header.copy(entry, 6, 4, 30); // version needed … name length, extra length
    entry.writeUInt16LE(0, 32); // comment length
    entry.writeUInt16LE(0, 34); // disk
    entry.writeUInt16LE(0, 36); // internal attributes
    entry.writeUInt32LE(0, 38); // external attributes
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    chunks.push(header, name, body);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}
