import { subgraphCodegen } from '../../codegen.base';

/** Resolver types for the WMS subgraph, generated from its one SDL file. */
export default subgraphCodegen({
  contextType: '../context#WmsContext',
  mappers: {
    Warehouse: '@crossdock/model#Warehouse',
    InventoryPosition: '@crossdock/model#InventoryPosition',
    Allocation: '@crossdock/model#Allocation',
    AtpResult: '../atp#AtpResult',
    AtpSource: '../atp#AtpSource',
    Product: '../entity-refs#ProductRef',
    Order: '../entity-refs#OrderRef',
    ChannelAvailability: '../channel-availability#ChannelAvailabilityRow',
    AvailabilityResync: '@crossdock/availability#ResyncCheckpoint',
  },
});
