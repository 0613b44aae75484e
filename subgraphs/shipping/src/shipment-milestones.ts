import type { Shipment, ShipmentStatus } from '@crossdock/model';
import { observeOrderCycle, observeShipmentConfirmationDelay } from '@crossdock/telemetry';

/** Shipments whose milestones are remembered; the oldest are forgotten first. */
const MAX_TRACKED_SHIPMENTS = 50_000;

/** The carrier milestones that end a stage of the order cycle, and the milestone that starts it. */
const STAGES: readonly { from: ShipmentStatus; to: ShipmentStatus; stage: 'allocated_to_shipped' | 'shipped_to_delivered' }[] = [
  // The label is created when the warehouse has packed the allocated order: the carrier's first word of it.
  { from: 'LABEL_CREATED', to: 'PICKED_UP', stage: 'allocated_to_shipped' },
  { from: 'PICKED_UP', to: 'DELIVERED', stage: 'shipped_to_delivered' },
];

/**
 * The carrier milestones of shipments as the hub comes to see them (reads through the subgraph
 * now, the carrier's webhooks as they arrive): each milestone is timed once per process, when it
 * is first seen. Only milestones dated after this process started count, so a replica that
 * starts and reads a year of history does not report it as live cycle times or delays.
 */
export class ShipmentMilestones {
  private readonly seen = new Map<string, Set<ShipmentStatus>>();

  constructor(
    private readonly since: number = Date.now(),
    private readonly now: () => number = Date.now,
  ) {}

  /** Times every milestone of these shipments not seen before. */
  observe(shipments: readonly (Shipment | null | Error)[]): void {
    for (const shipment of shipments) if (shipment && !(shipment instanceof Error)) this.observeOne(shipment);
  }

  private observeOne(shipment: Shipment): void {
    const seen = this.seenOf(shipment.id);
    const at = new Map(shipment.events.map((event) => [event.status, Date.parse(event.at)]));
    for (const [status, time] of at) {
      if (seen.has(status)) continue;
      seen.add(status);
      if (!(time >= this.since)) continue;
      observeShipmentConfirmationDelay(shipment.carrier, status, (this.now() - time) / 1000);
      const channel = shipment.channel ?? 'unknown';
      for (const stage of STAGES) {
        const from = at.get(stage.from);
        if (stage.to === status && from !== undefined) observeOrderCycle(channel, stage.stage, (time - from) / 1000);
      }
    }
  }

  private seenOf(shipmentId: string): Set<ShipmentStatus> {
    let seen = this.seen.get(shipmentId);
    if (!seen) {
      if (this.seen.size >= MAX_TRACKED_SHIPMENTS) {
        const oldest = this.seen.keys().next().value;
        if (oldest !== undefined) this.seen.delete(oldest);
      }
      seen = new Set();
      this.seen.set(shipmentId, seen);
    }
    return seen;
  }
}

/** The process's tracker, shared by the reads and (later) the carrier's webhooks. */
export const shipmentMilestones = new ShipmentMilestones();
