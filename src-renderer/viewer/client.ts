import { createPublicClient } from '../shared/api-client';

/** The viewer site's client for the public API of the listener that served the page. */
export const publicClient = createPublicClient();
