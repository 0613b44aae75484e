import { subgraphCodegen } from '../../codegen.base';

/** Resolver types for the shipping subgraph, generated from its one SDL file. */
export default subgraphCodegen({
  contextType: '../context#ShippingContext',
  mappers: {
    Shipment: '@crossdock/model#Shipment',
    TrackingEvent: '@crossdock/model#TrackingEvent',
    Order: '../references#OrderRef',
  },
});
