/** Documents out: the one document model and its writers. See model.ts and docx.ts. */
export * from './model';
export { renderDocx } from './docx';
export {
  chineseNumeral,
  formatChineseDate,
  headingNumberText,
  headingNumbers,
  HeadingCounter,
  listMarker,
} from './numbering';
