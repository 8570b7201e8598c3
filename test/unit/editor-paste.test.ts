/**
 * The editor's paste cleaning (renderer/src/editor/paste.ts) on HTML shaped like what Word,
 * WPS, Excel and web pages put on the clipboard: structure kept, junk dropped.
 */
import { describe, expect, it } from 'vitest';

/**
 * The module under test is renderer code (tsconfig.web.json); this test runs in Node and is
 * type-checked with the Node project, which cannot list renderer files. So it is loaded by a
 * path the compiler does not follow, with its API declared here.
 */
type Node =
  { kind: 'el'; tag: string; children: Node[] } | { kind: 'text'; text: string } | { kind: 'comment' };
interface PasteModule {
  cleanPastedHtml(html: string): { html: string; droppedImages: number; internal: boolean };
  cleanPastedText(text: string): string;
  headingLevelOfStyle(name: string): number;
  markerKind(marker: string): string;
  parseHtml(html: string): { children: Node[] };
  wordStyleNames(css: string): Map<string, string>;
}
const MODULE = '../../renderer/src/editor/paste';
const { cleanPastedHtml, cleanPastedText, headingLevelOfStyle, markerKind, parseHtml, wordStyleNames } =
  (await import(/* @vite-ignore */ MODULE)) as PasteModule;

/** What Word 2016 (Chinese) copies: conditional comments, mso styles, o:p, a pseudo-list, a table. */
const WORD = `<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<link rel=File-List href="file:///C:/Users/li/AppData/Local/Temp/msohtmlclip1/01/clip_filelist.xml">
<!--[if gte mso 9]><xml>
 <o:OfficeDocumentSettings>
  <o:AllowPNG/>
 </o:OfficeDocumentSettings>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{font-family:仿宋_GB2312;
	panose-1:2 1 6 9 3 1 1 1 1 1;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;
	margin:0cm;
	font-family:等线;}
p.a, li.a, div.a
	{mso-style-name:"标题 2\\,二级标题";
	mso-style-link:"标题 2 字符";
	font-family:楷体_GB2312;}
p.a0, li.a0, div.a0
	{mso-style-name:"正文缩进";}
p.MsoListParagraph, li.MsoListParagraph, div.MsoListParagraph
	{mso-style-priority:34;
	text-indent:21.0pt;}
@list l0:level1
	{mso-level-text:%1.;}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<!--StartFragment-->
<h1 style='margin:0cm;mso-outline-level:1'><span style='font-size:16.0pt;font-family:黑体;mso-hansi-font-family:"Times New Roman"'>一、总体要求<span lang=EN-US><o:p></o:p></span></span></h1>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.95pt;mso-line-height-rule:exactly'><span style='font-size:16.0pt;font-family:仿宋_GB2312;color:red'>\u3000\u3000为深入贯彻落实国家社会信用体系建设要求，<b>加快推进</b>社会信用体系建
设。<span lang=EN-US><o:p></o:p></span></span></p>
<p class=a><span style='font-family:楷体_GB2312'>（一）健全工作机制<o:p></o:p></span></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='mso-fareast-font-family:等线'><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span style='font-family:仿宋_GB2312'>建立信用承诺制度<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span style='font-family:仿宋_GB2312'>开展信用修复培训<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:39.0pt;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span lang=EN-US><span style='mso-list:Ignore'>（1）<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span></span><![endif]><span>面向企业<o:p></o:p></span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=138 valign=top style='width:103.7pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>
  <p class=MsoNormal><b><span style='font-family:黑体'>指标<o:p></o:p></span></b></p>
  </td>
  <td width=138 valign=top style='width:103.7pt;border:solid windowtext 1.0pt;border-left:none'>
  <p class=MsoNormal><span style='font-family:黑体'>完成情况<o:p></o:p></span></p>
  </td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td colspan=2 valign=top style='border:solid windowtext 1.0pt'>
  <p class=MsoNormal><span>信用承诺<o:p></o:p></span></p>
  </td>
 </tr>
</table>
<p class=MsoNormal><span lang=EN-US><img width=553 height=311 src="file:///C:/Users/li/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png" v:shapes="图片_x0020_1"></span></p>
<p class=MsoNormal><span lang=EN-US style='font-size:16.0pt'><br clear=all style='mso-special-character:line-break;page-break-before:always'>
</span><span>下一页内容</span></p>
<!--EndFragment-->
</body>
</html>`;

describe('editor paste cleaning', () => {
  const { html, droppedImages, internal } = cleanPastedHtml(WORD);

  it('drops Word junk: styles, classes, mso-*, fonts, colours, spans, comments, o:p, head', () => {
    expect(internal).toBe(false);
    expect(html).not.toMatch(
      /mso-|style=|class=|<span|<font|<o:p|<!--|<meta|<link|<style|仿宋_GB2312|color|lang=/i,
    );
    expect(html).not.toContain('&nbsp;');
    expect(html).not.toContain('supportLists');
  });

  it('keeps headings without their typed numbers', () => {
    expect(html).toContain('<h1>总体要求</h1>');
    // a custom class whose Word style is 标题 2
    expect(html).toContain('<h2>健全工作机制</h2>');
  });

  it('keeps paragraphs and bold; drops the typed indent and the source line break in Chinese', () => {
    expect(html).toContain(
      '<p>为深入贯彻落实国家社会信用体系建设要求，<strong>加快推进</strong>社会信用体系建设。</p>',
    );
    // the empty spacing paragraph is gone
    expect(html).not.toMatch(/<p>\s*<\/p>/);
  });

  it('turns the Word pseudo-list into a real nested ordered list', () => {
    expect(html).toContain(
      '<ol><li><p>建立信用承诺制度</p></li><li><p>开展信用修复培训</p><ol><li><p>面向企业</p></li></ol></li></ol>',
    );
  });

  it('keeps the table with its merged cell, without widths', () => {
    expect(html).toContain('<table><tr><td><p><strong>指标</strong></p></td><td><p>完成情况</p></td></tr>');
    expect(html).toContain('<tr><td colspan="2"><p>信用承诺</p></td></tr></table>');
    expect(html).not.toContain('width');
  });

  it('drops pictures it cannot read and keeps the page break', () => {
    expect(droppedImages).toBe(1);
    expect(html).not.toContain('<img');
    expect(html).toContain('<div data-page-break></div><p>下一页内容</p>');
  });

  it('leaves the editor’s own clipboard alone', () => {
    const own = '<p data-pm-slice="1 1 []">abc</p>';
    expect(cleanPastedHtml(own)).toEqual({ html: own, droppedImages: 0, internal: true });
  });

  it('reads WPS-style outline levels, list markers 一、 as headings, and span formatting', () => {
    const wps =
      '<p style="mso-outline-level:2;font-family:楷体">（二）强化督查考核</p>' +
      '<p class="MsoListParagraph" style="mso-list:l1 level1 lfo2"><!--[if !supportLists]--><span>三、</span><!--[endif]-->保障措施</p>' +
      '<p><span style="font-weight:bold">重点</span><span style="font-style:italic">说明</span><span style="text-decoration: underline">下划线</span></p>' +
      '<p><b style="font-weight:normal" id="docs-internal-guid-1">不是粗体</b></p>';
    const out = cleanPastedHtml(wps).html;
    expect(out).toBe(
      '<h2>强化督查考核</h2><h1>保障措施</h1>' +
        '<p><strong>重点</strong><em>说明</em><u>下划线</u></p><p>不是粗体</p>',
    );
  });

  it('makes short typed 一、/（一） lines headings but keeps long run-in paragraphs as text', () => {
    const out = cleanPastedHtml(
      '<p>一、工作目标</p><p>（一）加强组织领导。</p>' +
        '<p>（二）落实责任。各单位要明确分管领导和联络员，按时报送工作进展情况。</p><p>1. 第一项</p>',
    ).html;
    expect(out).toBe(
      '<h1>工作目标</h1><h2>加强组织领导。</h2>' +
        '<p>（二）落实责任。各单位要明确分管领导和联络员，按时报送工作进展情况。</p><p>1. 第一项</p>',
    );
  });

  it('keeps bullets, links (http only), data: images, header rows from thead and Excel cells', () => {
    const out = cleanPastedHtml(
      '<ul><li>甲</li><li>乙</li></ul>' +
        '<p><a href="https://www.creditchina.gov.cn">信用中国</a><a href="javascript:alert(1)">坏链接</a></p>' +
        '<p><img src="data:image/png;base64,iVBORw0KGgo=" width="120" height="80" alt="图"></p>' +
        '<table><thead><tr><td>表头</td></tr></thead><tbody><tr><td class=xl65 x:num>12</td></tr></tbody></table>',
    ).html;
    expect(out).toBe(
      '<ul><li><p>甲</p></li><li><p>乙</p></li></ul>' +
        '<p><a href="https://www.creditchina.gov.cn">信用中国</a>坏链接</p>' +
        '<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="图" width="120" height="80"></p>' +
        '<table><tr><th><p>表头</p></th></tr><tr><td><p>12</p></td></tr></table>',
    );
  });

  it('turns Word bullets and mixed markers into the right kinds of list', () => {
    const item = (level: number, marker: string, text: string) =>
      `<p class=MsoListParagraph style='mso-list:l0 level${level} lfo1'><![if !supportLists]><span style='font-family:Wingdings'><span style='mso-list:Ignore'>${marker}<span>&nbsp; </span></span></span><![endif]>${text}</p>`;
    const out = cleanPastedHtml(
      item(1, '§', '要点甲') + item(1, 'l', '要点乙') + item(1, '3.', '第三项'),
    ).html;
    expect(out).toBe(
      '<ul><li><p>要点甲</p></li><li><p>要点乙</p></li></ul><ol start="3"><li><p>第三项</p></li></ol>',
    );
  });

  it('keeps English words apart across source line breaks', () => {
    expect(cleanPastedHtml('<p>credit\r\nsystem 信用\r\n体系</p>').html).toBe(
      '<p>credit system 信用体系</p>',
    );
  });
});

describe('paste helpers', () => {
  it('reads Word style names from the style sheet', () => {
    const m = wordStyleNames(
      'p.a1, li.a1 {mso-style-name:"Heading 3\\,H3"; color:red}\np.MsoTitle {mso-style-name:标题}',
    );
    expect(m.get('a1')).toBe('Heading 3');
    expect(headingLevelOfStyle('Heading 3')).toBe(3);
    expect(headingLevelOfStyle('标题 1')).toBe(1);
    expect(headingLevelOfStyle('标题 6')).toBe(4);
    expect(headingLevelOfStyle(m.get('msotitle') ?? '')).toBe(0);
  });

  it('classifies markers', () => {
    expect(markerKind('一、')).toBe('cn-dun');
    expect(markerKind('十二、')).toBe('cn-dun');
    expect(markerKind('（三）')).toBe('cn-paren');
    expect(markerKind('(三)')).toBe('cn-paren');
    expect(markerKind('1.')).toBe('arabic-dot');
    expect(markerKind('2、')).toBe('arabic-dot');
    expect(markerKind('（4）')).toBe('arabic-paren');
    expect(markerKind('⑤')).toBe('circled');
    expect(markerKind('·')).toBe('bullet');
  });

  it('parses tag soup with implied closes', () => {
    const tree = parseHtml('<p>a<p>b<table><tr><td>1<td>2<tr><td>3</table>');
    const tags = (n: { children: Node[] }): string =>
      n.children
        .map((c) => (c.kind === 'el' ? `${c.tag}(${tags(c)})` : c.kind === 'text' ? c.text : ''))
        .join('');
    expect(tags(tree)).toBe('p(a)p(b)table(tr(td(1)td(2))tr(td(3)))');
  });

  it('strips typed indents from plain text', () => {
    expect(cleanPastedText('\u3000\u3000第一段\n  第二段')).toBe('第一段\n第二段');
  });
});
