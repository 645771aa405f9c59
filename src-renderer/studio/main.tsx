import '@mantine/core/styles.css';
import './studio.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { vlogTheme } from '../shared/theme';
import { StudioApp } from './StudioApp';

const root = document.getElementById('root');
if (!root) throw new Error('The studio page has no #root element.');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={vlogTheme} defaultColorScheme="dark">
      <StudioApp />
    </MantineProvider>
  </StrictMode>,
);
