import type { ThemeConfig } from 'antd';

/** One calm, consistent theme: government blue, compact tables, CJK-friendly fonts. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1f5fbf',
    colorInfo: '#1f5fbf',
    colorSuccess: '#2e9d5b',
    colorWarning: '#d9a21b',
    colorError: '#d64541',
    borderRadius: 6,
    fontFamily:
      "-apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif",
    fontSize: 14,
    colorBgLayout: '#f3f5f9',
  },
  components: {
    Layout: { siderBg: '#13294b', headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 20px' },
    Menu: {
      darkItemBg: '#13294b',
      darkSubMenuItemBg: '#0f2140',
      darkItemSelectedBg: '#1f5fbf',
    },
    Table: { headerBg: '#f5f7fb', cellPaddingBlockSM: 6 },
  },
};
