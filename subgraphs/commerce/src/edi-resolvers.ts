import { hasScope, type Identity } from '@crossdock/auth';
import { EDI_DOCUMENT_TYPES, EdiSubmissionError, type ChannelIntake, type EdiDocumentType, type PurchaseOrderResult } from '@crossdock/channels';
import { GraphQLError } from 'graphql';
import type {
  EdiDocumentResolvers,
  EdiInterchangeResultResolvers,
  EdiPurchaseOrderOutcome,
  EdiPurchaseOrderResultResolvers,
  MutationResolvers,
  QueryResolvers,
} from './__generated__/resolvers-types';
import { readConnection } from './connection';
import type { CommerceContext } from './context';
import { badUserInput } from './user-input';

/** Cursor list name of `Query.ediDocuments`. */
export const EDI_DOCUMENTS_LIST = 'edi-documents';

/** `Query.ediDocuments`: a partner's token sees its own partner's documents, operators every partner's. */
export const ediQueries: Pick<QueryResolvers<CommerceContext>, 'ediDocuments'> = {
  ediDocuments: (_root, { filter, first, after }, { identity, channels }) => {
    requireScope(identity, ['edi:submit', 'ops:admin']);
    const intake = running(channels);
    const types = filter?.types?.map(documentType) ?? null;
    return readConnection(EDI_DOCUMENTS_LIST, { first, after }, async (page) => {
      const found = await intake.listDocuments(identity, { partnerId: filter?.partnerId ?? null, types, orderId: filter?.orderId ?? null }, { first: page.first, after: page.after ?? null });
      return { items: found.items, nextCursor: found.nextCursor };
    });
  },
};

/** `Mutation.submitEdi`: the same intake as POST /edi/x12, as the token's partner (or any partner for an internal token). */
export const ediMutations: Pick<MutationResolvers<CommerceContext>, 'submitEdi'> = {
  submitEdi: async (_root, { document }, { identity, channels }) => {
    requireScope(identity, ['edi:submit']);
    const intake = running(channels);
    try {
      return { interchanges: await intake.edi.submit(document, intake.submitterPartners(identity)), errors: [], issues: [] };
    } catch (error) {
      if (!(error instanceof EdiSubmissionError)) throw error;
      return { interchanges: [], errors: [{ code: error.code, message: error.message, field: ['document'] }], issues: error.issues };
    }
  },
};

export const ediDocumentResolvers: EdiDocumentResolvers<CommerceContext> = {
  order: (document, _args, { loaders }) => (document.orderId ? loaders.orderById.load(document.orderId) : null),
};

export const ediInterchangeResolvers: EdiInterchangeResultResolvers<CommerceContext> = {
  acknowledgment: async (result, _args, { channels }) => (result.acknowledgment.documentId ? ((await running(channels).documentsByIds([result.acknowledgment.documentId]))[0] ?? null) : null),
  acknowledgmentStatus: (result) => result.acknowledgment.status,
};

const OUTCOMES: Record<PurchaseOrderResult['outcome'], EdiPurchaseOrderOutcome> = { accepted: 'ACCEPTED', rejected: 'REJECTED', held: 'HELD', duplicate: 'DUPLICATE', queued: 'QUEUED' };

export const ediPurchaseOrderResolvers: EdiPurchaseOrderResultResolvers<CommerceContext> = {
  outcome: (result) => OUTCOMES[result.outcome],
  order: (result, _args, { loaders }) => (result.orderId ? loaders.orderById.load(result.orderId) : null),
  acknowledgment: async (result, _args, { channels }) => (result.acknowledgmentId ? ((await running(channels).documentsByIds([result.acknowledgmentId]))[0] ?? null) : null),
};

/** In-process callers (null identity) pass; a token needs one of the scopes (the gateway checked too). */
function requireScope(identity: Identity | null, scopes: readonly ('edi:submit' | 'ops:admin')[]): void {
  if (identity !== null && !scopes.some((scope) => hasScope(identity, scope))) {
    throw new GraphQLError(`this needs the ${scopes.join(' or ')} scope`, { extensions: { code: 'FORBIDDEN' } });
  }
}

function running(channels: ChannelIntake | null): ChannelIntake {
  if (!channels) throw new GraphQLError('EDI and channel intake are not configured on this commerce service', { extensions: { code: 'NOT_CONFIGURED' } });
  return channels;
}

function documentType(value: string): EdiDocumentType {
  const type = EDI_DOCUMENT_TYPES.find((known) => known === value);
  if (!type) throw badUserInput(`filter.types: "${value}" is not one of ${EDI_DOCUMENT_TYPES.join(', ')}`, 'filter');
  return type;
}
