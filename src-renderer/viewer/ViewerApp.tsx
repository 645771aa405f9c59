import { Box, Container } from '@mantine/core';
import { matchPath, useLocationPath } from '../shared/router';
import { routes } from '../../src-main/server/contract';
import { HomePage } from './components/HomePage';
import { NotFound } from './components/NotFound';
import { ViewerHeader } from './components/ViewerHeader';
import { WatchPage } from './components/WatchPage';

const pages = routes.public.pages;

/** The viewer site: the library's home page and one watch page per video. */
export function ViewerApp() {
  return (
    <Box mih="100vh" className="viewer-backdrop">
      <ViewerHeader />
      <Container size="xl" py="lg">
        <ViewerRoutes />
      </Container>
    </Box>
  );
}

function ViewerRoutes() {
  const { path } = useLocationPath();
  const watch = matchPath(pages.watch, path);
  if (watch?.slug) return <WatchPage slug={watch.slug} />;
  const category = matchPath(pages.category, path);
  if (category?.slug) return <HomePage filter={{ category: category.slug }} />;
  const tag = matchPath(pages.tag, path);
  if (tag?.slug) return <HomePage filter={{ tag: tag.slug }} />;
  if (path === pages.home) return <HomePage />;
  return <NotFound />;
}
