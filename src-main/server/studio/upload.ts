import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { DataPaths } from '../../library/paths';
import {
  adoptIncomingSource,
  assertAcceptedSource,
  incomingSourcePath,
} from '../../library/sources';
import { chooseStreaming } from '../../library/streaming-settings';
import type { CreatedVideo } from '../../library/videos';
import type { StudioContext } from '../../context';
import { videoUploadFieldsSchema } from '../contract';
import { HttpError, parseInput } from '../http-errors';

/** The largest source the studio takes in one upload. */
export const maxUploadBytes = 100 * 1024 ** 3;

interface ReceivedFile {
  path: string;
  fileName: string;
}

/** Streams the file part straight to disk under a temporary name; never held in memory. */
async function receiveFilePart(part: MultipartFile, paths: DataPaths): Promise<ReceivedFile> {
  if (part.fieldname !== 'file') {
    part.file.resume();
    throw new HttpError(400, 'BAD_REQUEST', 'Send the video in the field named "file".');
  }
  assertAcceptedSource(part.filename, part.mimetype);
  const incoming = await incomingSourcePath(paths, part.filename);
  try {
    await pipeline(part.file, fs.createWriteStream(incoming, { flags: 'wx' }));
  } catch (error) {
    await fs.promises.rm(incoming, { force: true });
    throw error;
  }
  return { path: incoming, fileName: part.filename };
}

async function receiveParts(request: FastifyRequest, paths: DataPaths) {
  const fields: Record<string, string> = {};
  let file: ReceivedFile | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      if (file) throw new HttpError(400, 'BAD_REQUEST', 'Send one video per upload.');
      file = await receiveFilePart(part, paths);
    }
  } catch (error) {
    // An aborted or refused upload leaves nothing behind.
    if (file) await fs.promises.rm(file.path, { force: true });
    throw error;
  }
  return { fields, file };
}

/** Receives a multipart request's one "file" part to a temporary name in uploads/. */
export async function receiveSourceFile(
  request: FastifyRequest,
  paths: DataPaths,
): Promise<ReceivedFile> {
  if (!request.isMultipart()) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA', 'Upload the video as multipart/form-data.');
  }
  const { file } = await receiveParts(request, paths);
  if (!file) throw new HttpError(400, 'BAD_REQUEST', 'The upload has no "file" field.');
  return file;
}

/**
 * POST /api/videos: takes a multipart upload (fields title, description, category_id and the
 * file, in any order) and turns it into a pending video with its job.
 */
export async function receiveVideoUpload(
  request: FastifyRequest,
  ctx: StudioContext,
): Promise<CreatedVideo> {
  if (!request.isMultipart()) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA', 'Upload the video as multipart/form-data.');
  }
  const { fields, file } = await receiveParts(request, ctx.paths);
  if (!file) throw new HttpError(400, 'BAD_REQUEST', 'The upload has no "file" field.');
  let input;
  let streaming;
  try {
    input = parseInput(videoUploadFieldsSchema, fields);
    streaming = await chooseStreaming(ctx.db, {
      format: input.streaming_format,
      codec: input.primary_codec,
    });
  } catch (error) {
    await fs.promises.rm(file.path, { force: true });
    throw error;
  }
  return adoptIncomingSource(ctx.db, ctx.paths, file.path, {
    fileName: file.fileName,
    title: input.title,
    description: input.description,
    categoryId: input.category_id,
    streamingFormat: streaming.format,
    primaryCodec: streaming.codec,
  });
}
