/**
 * The renderer's Content-Security-Policy, shared by the Electron shell (response header and
 * the meta tag of the built index.html) and the web host (response header). antd writes
 * CSS-in-JS, hence 'unsafe-inline' for styles only; scripts come from the app itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
