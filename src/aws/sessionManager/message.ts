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
import { createHash, randomUUID } from 'node:crypto';

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
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([b.subarray(8, 16), b.subarray(0, 8)]);
}

export function uuidFromBytes(b: Buffer): string {
  const hex = Buffer.concat([b.subarray(8, 16), b.subarray(0, 8)]).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sha256(b: Buffer): Buffer {
  return createHash('sha256').update(b).digest();
}

export function encodeMessage(m: Omit<ClientMessage, 'headerLength' | 'payloadDigest' | 'payloadLength'>): Buffer {
  const type = Buffer.from(m.messageType, 'utf8');
  if (type.length > TYPE_LENGTH) throw new MessageFormatError(`MessageType longer than ${TYPE_LENGTH} bytes: ${m.messageType}`);
  const out = Buffer.alloc(PAYLOAD_OFFSET + m.payload.length);
  out.writeUInt32BE(HEADER_LENGTH, OFF.hl);
  out.fill(0x20, OFF.type, OFF.type + TYPE_LENGTH);
  type.copy(out, OFF.type);
  out.writeUInt32BE(m.schemaVersion >>> 0, OFF.version);
  out.writeBigUInt64BE(BigInt(m.createdDate), OFF.created);
  out.writeBigInt64BE(BigInt(m.sequenceNumber), OFF.seq);
  out.writeBigUInt64BE(BigInt(m.flags), OFF.flags);
  uuidToBytes(m.messageId).copy(out, OFF.id);
  sha256(m.payload).copy(out, OFF.digest);
  out.writeUInt32BE(m.payloadType >>> 0, OFF.payloadType);
  out.writeUInt32BE(m.payload.length, OFF.payloadLength);
  m.payload.copy(out, PAYLOAD_OFFSET);
  return out;
}

/** Reads a message; throws MessageFormatError when it is too short for its header. Does not validate (see validateMessage). */
export function decodeMessage(input: Buffer): ClientMessage {
  if (input.length < PAYLOAD_OFFSET) throw new MessageFormatError(`message of ${input.length} bytes is shorter than the ${PAYLOAD_OFFSET}-byte header`);
  const headerLength = input.readUInt32BE(OFF.hl);
  if (headerLength + 4 > input.length) throw new MessageFormatError(`header length ${headerLength} is beyond the message (${input.length} bytes)`);
  const payloadLength = input.readUInt32BE(OFF.payloadLength);
  return {
    headerLength,
    messageType: input.subarray(OFF.type, OFF.type + TYPE_LENGTH).toString('utf8').replace(/^[\0\s]+|[\0\s]+$/g, ''),
    schemaVersion: input.readUInt32BE(OFF.version),
    createdDate: Number(input.readBigUInt64BE(OFF.created)),
    sequenceNumber: Number(input.readBigInt64BE(OFF.seq)),
    flags: Number(input.readBigUInt64BE(OFF.flags)),
    messageId: uuidFromBytes(input.subarray(OFF.id, OFF.id + 16)),
    payloadDigest: Buffer.from(input.subarray(OFF.digest, OFF.digest + 32)),
    payloadType: input.readUInt32BE(OFF.payloadType),
    payloadLength,
    payload: Buffer.from(input.subarray(headerLength + 4)),
  };
}

/** messageparser.go `Validate`: the checks a received message must pass; returns the problem or undefined. */
export function validateMessage(m: ClientMessage): string | undefined {
  if (m.messageType === MessageType.startPublication || m.messageType === MessageType.pausePublication) return undefined;
  if (!m.headerLength) return 'HeaderLength cannot be zero';
  if (!m.messageType) return 'MessageType is missing';
  if (!m.createdDate) return 'CreatedDate is missing';
  if (m.payloadLength && !(m.payloadDigest && sha256(m.payload).equals(m.payloadDigest))) return 'payload Hash is not valid';
  return undefined;
}

export interface AcknowledgeContent {
  AcknowledgedMessageType: string;
  AcknowledgedMessageId: string;
  AcknowledgedMessageSequenceNumber: number;
  IsSequentialMessage: boolean;
}

/** The acknowledgement of one stream message (messageparser.go SerializeClientMessageWithAcknowledgeContent). */
export function encodeAcknowledge(of: Pick<ClientMessage, 'messageType' | 'messageId' | 'sequenceNumber'>, now = Date.now()): Buffer {
  const content: AcknowledgeContent = {
    AcknowledgedMessageType: of.messageType,
    AcknowledgedMessageId: of.messageId,
    AcknowledgedMessageSequenceNumber: of.sequenceNumber,
    IsSequentialMessage: true,
  };
  return encodeMessage({
    messageType: MessageType.acknowledge,
    schemaVersion: 1,
    createdDate: now,
    sequenceNumber: 0,
    flags: 3,
    messageId: randomUUID(),
    payloadType: 0,
    payload: Buffer.from(JSON.stringify(content)),
  });
}

/** An input_stream_data message (streaming.go SendInputDataMessage: flags 0, schema version 1). */
export function encodeInput(sequenceNumber: number, payloadType: number, payload: Buffer, now = Date.now()): Buffer {
  return encodeMessage({ messageType: MessageType.input, schemaVersion: 1, createdDate: now, sequenceNumber, flags: 0, messageId: randomUUID(), payloadType, payload });
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
