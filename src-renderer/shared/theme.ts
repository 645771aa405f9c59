import { createTheme } from '@mantine/core';

/** The look shared by the studio and the viewer site. */
export const vlogTheme = createTheme({
  primaryColor: 'grape',
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
});
