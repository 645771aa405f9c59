import { createAdminClient } from '../shared/api-client';

/** The one admin API client of the studio page, talking to the listener that served it. */
export const adminClient = createAdminClient();
