export * from './ports';
export * from './backend-error';
export { observeBackendCalls, type BackendCall, type BackendCallObserver } from './call-observer';
export { JsonHttpClient, type ConnectorOptions, type HttpClientOptions, type JsonRequest, type JsonResponse, type JsonTransport } from './http-client';
export { MAX_BATCH } from './batch';
export { ErpHttpConnector } from './erp-connector';
export { WmsHttpConnector, readWmsStockMovement, warehousesFromList, type WmsStockMovement } from './wms-connector';
export { CommerceHttpConnector } from './commerce-connector';
export { ShippingHttpConnector, readCarrierTrackingUpdate, type CarrierTrackingUpdate } from './shipping-connector';
