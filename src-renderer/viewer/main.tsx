import '@mantine/core/styles.css';
import './viewer.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { vlogTheme } from '../shared/theme';
import { ViewerApp } from './ViewerApp';

const root = document.getElementById('root');
if (!root) throw new Error('The viewer page has no #root element.');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={vlogTheme} defaultColorScheme="dark">
      <ViewerApp />
    </MantineProvider>
  </StrictMode>,
);
