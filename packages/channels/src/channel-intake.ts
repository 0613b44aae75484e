import { hasScope, type Identity } from '@crossdock/auth';
import type { ErpConnector, ShippingConnector, WmsConnector } from '@crossdock/connectors';
import type { ExceptionStore, ReplayHandlers } from '@crossdock/exceptions';
import { RoundLoop, type OutboxPolicy } from '@crossdock/orders';
import type { ChannelConfig } from './channel-config';
import type { ChannelLog } from './channel-log';
import { DocumentDeliveryWorker } from './document-delivery';
import { DueWakeup } from './due-wakeup';
import { EdiDocuments } from './edi-documents';
import { EdiIntake } from './edi-intake';
import { FollowUpDocuments } from './follow-up-documents';
import { PartnerDirectory } from './partner-directory';
import type { ConfigFolderWatch } from './config-watch';
import { watchPartnerFiles, type PartnerFiles } from './partner-files';
import { watchStoreChannelFiles } from './store-channel-files';
import type { ChannelStore, DocumentFilter, EdiDocument, EdiDocumentType, Page } from './ports';
import { PurchaseOrderIntake, type AvailableToPromise } from './purchase-order-intake';
import { WebhookInbox, type WebhookCapture } from './webhook-inbox';
import type { WebhookQueue } from './webhook-queue';
import { WebhookQueueDrain } from './webhook-queue-drain';
import { WebhookReception, type WebhookChannels } from './webhook-reception';

/** Timings of the background loops (documents, webhooks, 856/810 polling). */
export interface ChannelPolicy {
  /** Retries of document deliveries, webhook processing and queued POs (the order outbox's policy shape). */
  retry: OutboxPolicy;
  /**
   * How often due document deliveries and queued POs are looked for when nothing woke their
   * loops: a safety poll. New documents and webhooks wake their loops, and this process's
   * retries wake them when due; the poll finds what another replica or a crash left.
   */
  deliveryIntervalMs: number;
  /** The webhook inbox's safety poll (the queue's drain wakes it for new deliveries). */
  webhookIntervalMs: number;
  /** Queued webhooks a dead replica took and never handed over are taken over after this long. */
  webhookClaimIdleMs: number;
  followUpIntervalMs: number;
  /** How often expired claims are swept (FerretDB has no TTL indexes), and how old a claim must be to go. */
  claimSweepIntervalMs: number;
  claimRetentionMs: number;
}

export const DEFAULT_CHANNEL_POLICY: ChannelPolicy = {
  retry: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 },
  // Seconds, not fractions: each look is a FerretDB query per replica, and the work itself wakes the loops.
  deliveryIntervalMs: 5_000,
  webhookIntervalMs: 5_000,
  webhookClaimIdleMs: 30_000,
  followUpIntervalMs: 30_000,
  claimSweepIntervalMs: 10 * 60_000,
  // A claim holds an attempt for one claim window (60 s) and guards a racing resend for seconds; an hour is ample.
  claimRetentionMs: 60 * 60_000,
};

/** What ChannelIntake runs on; the caller owns the store and closes it after stop(). */
export interface ChannelIntakeOptions {
  config: ChannelConfig;
  /** The folder `config` was read from: its partner and store channel files are reloaded when they change. Absent: as given, for good. */
  configDir?: string | null;
  store: ChannelStore;
  /** Where acknowledged webhooks wait for the inbox (Redis in production); the caller closes it. */
  webhookQueue: WebhookQueue;
  exceptions: ExceptionStore;
  capture: WebhookCapture;
  erp: Pick<ErpConnector, 'invoicesByOrderIds' | 'erpOrdersByOrderIds'>;
  shipping: Pick<ShippingConnector, 'shipmentsByOrderIds'> | null;
  /** What each parcel holds, for 856s (the WMS's allocations); null: 856s list the booked lines. */
  wms: Pick<WmsConnector, 'fulfillmentsByOrderIds'> | null;
  /** For backorders (partners with `backorders: true`); null: such POs are refused when short. */
  availableToPromise: AvailableToPromise | null;
  policy?: Partial<ChannelPolicy>;
  log?: ChannelLog;
}

/** Who may read which partners' documents. */
export type DocumentScope = { all: true } | { all: false; partnerIds: string[] };

/**
 * Every channel that speaks its own language: EDI partners (X12 in, 997/855/856/810 out),
 * Shopify webhooks and mapped marketplaces, all into order capture. start() runs the document
 * outbox, the webhook queue's drain and inbox, the retries of queued POs, the 856/810 poller, the
 * sweep of expired claims and the watch of the partner files; stop() waits for their rounds.
 */
export class ChannelIntake {
  readonly partners: PartnerDirectory;
  readonly documents: EdiDocuments;
  readonly edi: EdiIntake;
  /** The webhook door of this service (the gateway has its own over the same queue). */
  readonly reception: WebhookReception;
  readonly webhooks: WebhookInbox;
  readonly webhookDrain: WebhookQueueDrain;
  readonly delivery: DocumentDeliveryWorker;
  readonly followUps: FollowUpDocuments;
  /** Tries queued POs (a backend was down when they came) again when due. */
  private readonly purchaseOrderRetries: RoundLoop;
  private readonly purchaseOrderRetryWakeup: DueWakeup;
  private readonly claimSweep: RoundLoop;
  private partnerFiles: PartnerFiles | null = null;
  private channelFiles: ConfigFolderWatch | null = null;

  constructor(private readonly options: ChannelIntakeOptions) {
    const policy = { ...DEFAULT_CHANNEL_POLICY, ...options.policy };
    const { store, exceptions, log } = options;
    this.partners = new PartnerDirectory(options.config.partners);
    this.documents = new EdiDocuments(store, () => this.delivery.wake());
    const purchaseOrders = new PurchaseOrderIntake({
      store,
      documents: this.documents,
      exceptions,
      placeOrder: (identity, request) => options.capture.placeOrder(identity, request),
      availableToPromise: options.availableToPromise,
      retryPolicy: policy.retry,
      onQueued: (nextAttemptAt) => this.purchaseOrderRetryWakeup.at(nextAttemptAt),
    });
    const retryBatch = 20;
    this.purchaseOrderRetries = new RoundLoop({
      round: async () => {
        const tried = await purchaseOrders.retryDue(this.partners, new Date(), retryBatch).catch((error: unknown) => {
          log?.({ level: 'warn', message: 'retrying queued purchase orders failed; trying again', error });
          return 0;
        });
        return tried >= retryBatch;
      },
      intervalMs: policy.deliveryIntervalMs,
    });
    this.purchaseOrderRetryWakeup = new DueWakeup(() => this.purchaseOrderRetries.wake());
    this.edi = new EdiIntake({ partners: this.partners, store, documents: this.documents, exceptions, purchaseOrders });
    this.webhooks = new WebhookInbox({
      store,
      exceptions,
      capture: options.capture,
      shopify: options.config.shopify,
      mapped: options.config.mapped,
      policy: policy.retry,
      intervalMs: policy.webhookIntervalMs,
      ...(log ? { log } : {}),
    });
    this.claimSweep = new RoundLoop({
      round: async () => {
        await store.sweepClaims(new Date(Date.now() - policy.claimRetentionMs)).catch((error: unknown) => log?.({ level: 'warn', message: 'sweeping expired claims failed; trying again later', error }));
        return false;
      },
      intervalMs: policy.claimSweepIntervalMs,
    });
    this.reception = new WebhookReception(options.config, options.webhookQueue);
    this.webhookDrain = new WebhookQueueDrain({ queue: options.webhookQueue, store, exceptions, claimIdleMs: policy.webhookClaimIdleMs, onStored: () => this.webhooks.wake(), ...(log ? { log } : {}) });
    this.delivery = new DocumentDeliveryWorker({ store, partners: this.partners, exceptions, policy: policy.retry, intervalMs: policy.deliveryIntervalMs, ...(log ? { log } : {}) });
    this.followUps = new FollowUpDocuments({ store, partners: this.partners, documents: this.documents, erp: options.erp, shipping: options.shipping, wms: options.wms, intervalMs: policy.followUpIntervalMs, ...(log ? { log } : {}) });
  }

  /**
   * Replay handlers for OrderCapture's replayer, which is built before this intake exists (the
   * intake places orders through it): they look the intake up when a replay runs.
   */
  static deferredReplayHandlers(intake: () => ChannelIntake | null): ReplayHandlers {
    const missing = async () => ({ replayed: false as const, reason: 'channel intake is not running in this process' });
    return {
      'malformed-edi': (exception) => intake()?.edi.replayHandler()(exception) ?? missing(),
      'malformed-webhook': (exception) => intake()?.webhooks.replayHandler()(exception) ?? missing(),
      'edi-delivery': (exception) => intake()?.delivery.replayHandler()(exception) ?? missing(),
    };
  }

  /**
   * Which partners' documents the caller may read: operators (ops:admin, unrestricted) and
   * in-process callers all; a partner's token (restricted by customer or channel) only the
   * partners whose id is its `sub` or whose customer is its `customer_id`.
   */
  documentScope(identity: Identity | null): DocumentScope {
    if (identity === null || (identity.customerId === null && identity.channel === null && hasScope(identity, 'ops:admin'))) return { all: true };
    if (identity.customerId === null && identity.channel === null) return { all: true };
    const partnerIds = this.partners
      .all()
      .filter(({ partner }) => partner.id === identity.subject || (identity.customerId !== null && partner.customerId === identity.customerId))
      .map(({ partner }) => partner.id);
    return { all: false, partnerIds };
  }

  /** The partners a restricted caller submits for (null: any). */
  submitterPartners(identity: Identity | null): string[] | null {
    const scope = this.documentScope(identity);
    return scope.all ? null : scope.partnerIds;
  }

  /** Documents the caller may see, newest first. */
  listDocuments(identity: Identity | null, filter: { partnerId?: string | null; types?: readonly EdiDocumentType[] | null; orderId?: string | null }, page: { first: number; after: string | null }): Promise<Page<EdiDocument>> {
    const scope = this.documentScope(identity);
    const wanted = filter.partnerId ? [filter.partnerId] : null;
    const partnerIds = scope.all ? wanted : wanted ? wanted.filter((id) => scope.partnerIds.includes(id)) : scope.partnerIds;
    const storeFilter: DocumentFilter = { partnerIds, types: filter.types ?? null, orderId: filter.orderId ?? null };
    return this.options.store.listDocuments(storeFilter, page);
  }

  /** Documents by id, null where unknown (for a submission's answer: the caller just made them). */
  async documentsByIds(ids: readonly string[]): Promise<(EdiDocument | null)[]> {
    return this.options.store.documents(ids);
  }

  /** Document texts by id, for answering a submission with its 997. */
  async documentBodies(ids: readonly string[]): Promise<(string | null)[]> {
    const found = await this.options.store.documents(ids.filter((id) => id !== ''));
    const byId = new Map(found.flatMap((doc) => (doc ? [[doc.id, doc.body] as const] : [])));
    return ids.map((id) => byId.get(id) ?? null);
  }

  start(): void {
    this.delivery.start();
    this.webhookDrain.start();
    this.webhooks.start();
    this.followUps.start();
    this.purchaseOrderRetries.start();
    this.claimSweep.start();
    const dir = this.options.configDir;
    const log = this.options.log ? { log: this.options.log } : {};
    if (dir && !this.partnerFiles) this.partnerFiles = watchPartnerFiles({ dir, directory: this.partners, ...log });
    if (dir && !this.channelFiles) {
      // The inbox first: it compiles the mappings, and one that does not compile refuses the set before the door takes it.
      const apply = (channels: WebhookChannels): void => {
        this.webhooks.replaceChannels(channels);
        this.reception.replace(channels);
      };
      this.channelFiles = watchStoreChannelFiles({ dir, apply, ...log });
    }
  }

  /** The watch of the partner files (null unless started with a configDir): its last refusal, a reload on demand. */
  get partnerFileWatch(): PartnerFiles | null {
    return this.partnerFiles;
  }

  async stop(): Promise<void> {
    this.purchaseOrderRetryWakeup.clear();
    this.partnerFiles?.close();
    this.partnerFiles = null;
    this.channelFiles?.close();
    this.channelFiles = null;
    await Promise.all([this.delivery.stop(), this.webhookDrain.stop(), this.webhooks.stop(), this.followUps.stop(), this.purchaseOrderRetries.stop(), this.claimSweep.stop()]);
  }
}
