/**
 * The Session Manager data channel's binary message ("ClientMessage"), as aws/session-manager-plugin defines it in
 * src/message/clientmessage.go (field sizes and offsets) and src/message/messageparser.go (how each field is
 * written and read). All integers are big-endian.
 *
 *   offset  size  field
 *        0     4  HeaderLength   (always 116: the offset of PayloadLength; the payload starts at HeaderLength + 4)
 *        4    32  MessageType    UTF-8, padded with spaces (read: trimmed of NULs and spaces)
 *       36     4  SchemaVersion
 *       40     8  CreatedDate    epoch milliseconds
 *       48     8  SequenceNumber signed
 *       56     8  Flags          bit 0 SYN, bit 1 FIN (acknowledgements carry 3)
 *       64    16  MessageId      a UUID written as its LOW 8 bytes, then its HIGH 8 bytes
 *       80    32  PayloadDigest  SHA-256 of the payload
 *      112     4  PayloadType
 *      116     4  PayloadLength
 *      120     …  Payload
 *
 * Pure: no socket, no AWS SDK (only node:crypto).
 */
import * as crypto from 'node:crypto';
import { createHash, randomFillSync } from 'node:crypto';

export const MessageType = {
  input: 'input_stream_data',
  output: 'output_stream_data',
  acknowledge: 'acknowledge',
  channelClosed: 'channel_closed',
  startPublication: 'start_publication',
  pausePublication: 'pause_publication',
} as const;

/** clientmessage.go `PayloadType` */
export const PayloadType = {
  output: 1,
  error: 2,
  size: 3,
  parameter: 4,
  handshakeRequest: 5,
  handshakeResponse: 6,
  handshakeComplete: 7,
  encChallengeRequest: 8,
  encChallengeResponse: 9,
  flag: 10,
  stdErr: 11,
  exitCode: 12,
} as const;

/** clientmessage.go `PayloadTypeFlag` (a 4-byte big-endian payload of a PayloadType.flag message) */
export const PayloadFlag = { disconnectToPort: 1, terminateSession: 2, connectToPortError: 3 } as const;

export const HEADER_LENGTH = 116;
export const PAYLOAD_OFFSET = HEADER_LENGTH + 4;
const OFF = { hl: 0, type: 4, version: 36, created: 40, seq: 48, flags: 56, id: 64, digest: 80, payloadType: 112, payloadLength: 116 } as const;
const TYPE_LENGTH = 32;

export interface ClientMessage {
  messageType: string;
  schemaVersion: number;
  createdDate: number;
  sequenceNumber: number;
  flags: number;
  /** canonical UUID string */
  messageId: string;
  payloadType: number;
  payload: Buffer;
  /** set when decoded */
  headerLength?: number;
  payloadDigest?: Buffer;
  payloadLength?: number;
}

export class MessageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageFormatError';
  }
}

/** UUID → 16 bytes in the channel's order: its low 8 bytes first, then its high 8 bytes (messageparser.go putUuid). */
export function uuidToBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new MessageFormatError(`MessageId is not a UUID: ${JSON.stringify(id)}`);
  if (/^0+$/.test(hex)) throw new MessageFormatError('MessageId is the nil UUID');
  return Buffer.from(hex.slice(16) + hex.slice(0, 16), 'hex');
}

/** The canonical UUID string of 16 bytes in the channel's order (low half first), read where they lie. */
export function uuidFromBytes(b: Buffer, at = 0): string {
  const hi = b.toString('hex', at + 8, at + 16);
  const lo = b.toString('hex', at, at + 8);
  return `${hi.slice(0, 8)}-${hi.slice(8, 12)}-${hi.slice(12)}-${lo.slice(0, 4)}-${lo.slice(4)}`;
}

// One-shot SHA-256 (crypto.hash, Node ≥ 20.12 and VS Code's runtime) as a 32-character latin1 string: every stream
// message and every acknowledgement is digested on both sides, and a digest as a string is written into the message
// or compared without the ArrayBuffer a Buffer result costs (about 2.5× cheaper per message, mostly garbage).
const oneShotHash = typeof crypto.hash === 'function' ? crypto.hash : undefined;

function sha256Latin1(b: Buffer): string {
  return oneShotHash ? oneShotHash('sha256', b, 'binary') : createHash('sha256').update(b).digest('binary');
}

// Random message ids: random bytes are drawn 4 KiB at a time (one call per 256 ids) instead of a UUID string per
// message that is then parsed back to bytes.
const idPool = Buffer.alloc(4096);
let idPoolAt = idPool.length;

/** Writes a random (version 4) UUID at `at`, in the channel's order (its low 8 bytes first). */
export function writeRandomMessageId(out: Buffer, at: number): void {
  if (idPoolAt === idPool.length) {
    randomFillSync(idPool);
    idPoolAt = 0;
  }
  for (let i = 0; i < 16; i++) out[at + i] = idPool[idPoolAt + i];
  idPoolAt += 16;
  // UUID byte 6 carries the version (4) and byte 8 the RFC 4122 variant (10xx); in the channel's order byte 8 is
  // written first and byte 6 at offset 8 + 6
  out[at] = (out[at] & 0x3f) | 0x80;
  out[at + 14] = (out[at + 14] & 0x0f) | 0x40;
}

// The first 40 bytes (header length, space-padded type, schema version 1) are the same for every message of a type:
// copied from a template instead of written field by field.
const headerTemplates = new Map<string, Buffer>();

function headerTemplate(messageType: string, schemaVersion: number): Buffer {
  const key = schemaVersion === 1 ? messageType : `${messageType}\0${schemaVersion}`;
  let t = headerTemplates.get(key);
  if (!t) {
    const type = Buffer.from(messageType, 'utf8');
    if (type.length > TYPE_LENGTH) throw new MessageFormatError(`MessageType longer than ${TYPE_LENGTH} bytes: ${messageType}`);
    t = Buffer.alloc(OFF.created);
    t.writeUInt32BE(HEADER_LENGTH, OFF.hl);
    t.fill(0x20, OFF.type, OFF.type + TYPE_LENGTH);
    type.copy(t, OFF.type);
    t.writeUInt32BE(schemaVersion >>> 0, OFF.version);
    if (headerTemplates.size < 64) headerTemplates.set(key, t);
  }
  return t;
}

/** A 64-bit big-endian integer: two 32-bit writes for safe integers, BigInt for anything else. */
function writeLong(out: Buffer, value: number, at: number, signed: boolean): void {
  if (Number.isSafeInteger(value) && value >= 0) {
    out.writeUInt32BE(Math.floor(value / 0x1_0000_0000), at);
    out.writeUInt32BE(value >>> 0, at + 4);
  } else if (signed) out.writeBigInt64BE(BigInt(value), at);
  else out.writeBigUInt64BE(BigInt(value), at);
}

// Copies here use Uint8Array.set and byte loops, not Buffer.copy: on Node 20 each Buffer.copy builds a Uint8Array
// view first, which costs about a microsecond per call, several times per message.

/**
 * A message with the payload already written at PAYLOAD_OFFSET of `out` (one allocation per message: the header
 * from its template, the digest of the payload where it lies).
 */
function finishMessage(out: Buffer, messageType: string, schemaVersion: number, createdDate: number, sequenceNumber: number, flags: number, payloadType: number): Buffer {
  out.set(headerTemplate(messageType, schemaVersion), 0);
  writeLong(out, createdDate, OFF.created, false);
  writeLong(out, sequenceNumber, OFF.seq, true);
  writeLong(out, flags, OFF.flags, false);
  out.write(sha256Latin1(out.subarray(PAYLOAD_OFFSET)), OFF.digest, 'latin1');
  out.writeUInt32BE(payloadType >>> 0, OFF.payloadType);
  out.writeUInt32BE(out.length - PAYLOAD_OFFSET, OFF.payloadLength);
  return out;
}

export function encodeMessage(m: Omit<ClientMessage, 'headerLength' | 'payloadDigest' | 'payloadLength'>): Buffer {
  const out = Buffer.allocUnsafe(PAYLOAD_OFFSET + m.payload.length);
  out.set(uuidToBytes(m.messageId), OFF.id);
  out.set(m.payload, PAYLOAD_OFFSET);
  return finishMessage(out, m.messageType, m.schemaVersion, m.createdDate, m.sequenceNumber, m.flags, m.payloadType);
}

// The types a channel receives, padded as they are sent: a received type is matched against these bytes before any
// string is made of it.
const KNOWN_TYPES = Object.values(MessageType).map((t) => ({ type: t, padded: Buffer.from(t.padEnd(TYPE_LENGTH, ' ')) }));

function readType(input: Buffer): string {
  for (const k of KNOWN_TYPES) if (input.compare(k.padded, 0, TYPE_LENGTH, OFF.type, OFF.type + TYPE_LENGTH) === 0) return k.type;
  return input.toString('utf8', OFF.type, OFF.type + TYPE_LENGTH).replace(/^[\0\s]+|[\0\s]+$/g, '');
}

/** A 64-bit big-endian integer as a number (rounded like Number(BigInt) beyond 2^53). */
function readLong(input: Buffer, at: number, signed: boolean): number {
  const hi = signed ? input.readInt32BE(at) : input.readUInt32BE(at);
  return hi * 0x1_0000_0000 + input.readUInt32BE(at + 4);
}

/**
 * Reads a message; throws MessageFormatError when it is too short for its header. Does not validate (see
 * validateMessage). The payload and the digest are views of `input`, not copies: a received frame is not reused.
 */
export function decodeMessage(input: Buffer): ClientMessage {
  if (input.length < PAYLOAD_OFFSET) throw new MessageFormatError(`message of ${input.length} bytes is shorter than the ${PAYLOAD_OFFSET}-byte header`);
  const headerLength = input.readUInt32BE(OFF.hl);
  if (headerLength + 4 > input.length) throw new MessageFormatError(`header length ${headerLength} is beyond the message (${input.length} bytes)`);
  const payloadLength = input.readUInt32BE(OFF.payloadLength);
  return {
    headerLength,
    messageType: readType(input),
    schemaVersion: input.readUInt32BE(OFF.version),
    createdDate: readLong(input, OFF.created, false),
    sequenceNumber: readLong(input, OFF.seq, true),
    flags: readLong(input, OFF.flags, false),
    messageId: uuidFromBytes(input, OFF.id),
    payloadDigest: input.subarray(OFF.digest, OFF.digest + 32),
    payloadType: input.readUInt32BE(OFF.payloadType),
    payloadLength,
    payload: input.subarray(headerLength + 4),
  };
}

/** messageparser.go `Validate`: the checks a received message must pass; returns the problem or undefined. */
export function validateMessage(m: ClientMessage): string | undefined {
  if (m.messageType === MessageType.startPublication || m.messageType === MessageType.pausePublication) return undefined;
  if (!m.headerLength) return 'HeaderLength cannot be zero';
  if (!m.messageType) return 'MessageType is missing';
  if (!m.createdDate) return 'CreatedDate is missing';
  if (m.payloadLength && !(m.payloadDigest?.length === 32 && sha256Latin1(m.payload) === m.payloadDigest.toString('latin1'))) return 'payload Hash is not valid';
  return undefined;
}

export interface AcknowledgeContent {
  AcknowledgedMessageType: string;
  AcknowledgedMessageId: string;
  AcknowledgedMessageSequenceNumber: number;
  IsSequentialMessage: boolean;
}

/**
 * The acknowledgement of one stream message (messageparser.go SerializeClientMessageWithAcknowledgeContent): the
 * JSON of AcknowledgeContent, written straight into the message (the same bytes JSON.stringify gives for it, without
 * an object per acknowledgement).
 */
export function encodeAcknowledge(of: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>, now = Date.now()): Buffer {
  const prefix = ackPrefix(of.messageType);
  // a canonical UUID and an integer need no JSON escaping: written as they are, in one latin1 write
  const rest =
    CANONICAL_UUID.test(of.messageId) && Number.isSafeInteger(of.sequenceNumber)
      ? `${of.messageId}","AcknowledgedMessageSequenceNumber":${of.sequenceNumber},"IsSequentialMessage":true}`
      : undefined;
  if (!prefix || rest === undefined) {
    const json =
      `{"AcknowledgedMessageType":${JSON.stringify(of.messageType)},"AcknowledgedMessageId":${JSON.stringify(of.messageId)},` +
      `"AcknowledgedMessageSequenceNumber":${JSON.stringify(of.sequenceNumber)},"IsSequentialMessage":true}`;
    const out = Buffer.allocUnsafe(PAYLOAD_OFFSET + Buffer.byteLength(json));
    out.write(json, PAYLOAD_OFFSET, 'utf8');
    writeRandomMessageId(out, OFF.id);
    return finishMessage(out, MessageType.acknowledge, 1, now, 0, 3, 0);
  }
  const out = Buffer.allocUnsafe(PAYLOAD_OFFSET + prefix.length + rest.length);
  out.set(prefix, PAYLOAD_OFFSET);
  out.write(rest, PAYLOAD_OFFSET + prefix.length, 'latin1');
  writeRandomMessageId(out, OFF.id);
  return finishMessage(out, MessageType.acknowledge, 1, now, 0, 3, 0);
}

const CANONICAL_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// `{"AcknowledgedMessageType":"<type>","AcknowledgedMessageId":"` of the stream types a channel acknowledges
const ackPrefixes = new Map(
  [MessageType.input, MessageType.output].map((t) => [t, Buffer.from(`{"AcknowledgedMessageType":${JSON.stringify(t)},"AcknowledgedMessageId":"`)] as const),
);
function ackPrefix(messageType: string): Buffer | undefined {
  return ackPrefixes.get(messageType as typeof MessageType.input);
}

/** An input_stream_data message (streaming.go SendInputDataMessage: flags 0, schema version 1). */
export function encodeInput(sequenceNumber: number, payloadType: number, payload: Buffer, now = Date.now()): Buffer {
  const out = Buffer.allocUnsafe(PAYLOAD_OFFSET + payload.length);
  out.set(payload, PAYLOAD_OFFSET);
  writeRandomMessageId(out, OFF.id);
  return finishMessage(out, MessageType.input, 1, now, sequenceNumber, 0, payloadType);
}

/** A terminal size update: PayloadType size with `{"cols":…,"rows":…}` (clientmessage.go SizeData). */
export function sizePayload(cols: number, rows: number): Buffer {
  return Buffer.from(JSON.stringify({ cols: Math.max(0, Math.trunc(cols)), rows: Math.max(0, Math.trunc(rows)) }));
}

/** A flag message payload: the flag as a 4-byte big-endian integer (streaming.go SendFlag). */
export function flagPayload(flag: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(flag);
  return b;
}

export function parseJsonPayload<T>(m: ClientMessage, what: string): T {
  try {
    return JSON.parse(m.payload.toString('utf8')) as T;
  } catch {
    throw new MessageFormatError(`${what}: the payload is not JSON`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// handshake payloads (amazon-ssm-agent agent/session/contracts: HandshakeRequestPayload, HandshakeResponsePayload,
// HandshakeCompletePayload; ActionStatus Success = 1, Failed = 2, Unsupported = 3)

export interface HandshakeRequest {
  AgentVersion: string;
  RequestedClientActions: { ActionType: string; ActionParameters?: unknown }[];
}
export interface HandshakeResponse {
  ClientVersion: string;
  ProcessedClientActions: { ActionType: string; ActionStatus: number; ActionResult?: unknown; Error?: string }[];
  Errors: string[];
}
export interface HandshakeComplete {
  HandshakeTimeToComplete?: number;
  CustomerMessage?: string;
}
export interface ChannelClosed {
  MessageId?: string;
  CreatedDate?: string;
  DestinationId?: string;
  SessionId?: string;
  MessageType?: string;
  SchemaVersion?: number;
  Output?: string;
}

/** The first (text) frame on a new WebSocket: the token opens the channel (streaming.go FinalizeDataChannelHandshake). */
export interface OpenDataChannelInput {
  MessageSchemaVersion: '1.0';
  RequestId: string;
  TokenValue: string;
  ClientId: string;
  ClientVersion: string;
}
