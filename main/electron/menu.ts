/**
 * The Chinese application menu. PURE (type-only electron import): index.ts passes the result
 * to Menu.buildFromTemplate.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  /** Development (unpackaged): adds 重新加载 and 开发者工具. */
  isDev: boolean;
  isMac?: boolean;
  onAbout(): void;
}

export function buildMenuTemplate({
  isDev,
  isMac = false,
  onAbout,
}: MenuOptions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    ...(isDev
      ? ([
          { label: '重新加载', role: 'reload' },
          { label: '开发者工具', role: 'toggleDevTools' },
          { type: 'separator' },
        ] satisfies MenuItemConstructorOptions[])
      : []),
    { label: '实际大小', role: 'resetZoom' },
    { label: '放大', role: 'zoomIn' },
    { label: '缩小', role: 'zoomOut' },
    { type: 'separator' },
    { label: '全屏', role: 'togglefullscreen' },
  ];
  return [
    ...(isMac ? ([{ role: 'appMenu' }] satisfies MenuItemConstructorOptions[]) : []),
    { label: '文件', submenu: [{ label: '退出', role: 'quit' }] },
    {
      label: '编辑',
      submenu: [
        { label: '撤销', role: 'undo' },
        { label: '重做', role: 'redo' },
        { type: 'separator' },
        { label: '剪切', role: 'cut' },
        { label: '复制', role: 'copy' },
        { label: '粘贴', role: 'paste' },
        { label: '全选', role: 'selectAll' },
      ],
    },
    { label: '视图', submenu: view },
    { label: '帮助', role: 'help', submenu: [{ label: '关于', click: () => onAbout() }] },
  ];
}
