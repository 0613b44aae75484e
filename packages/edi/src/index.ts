/**
 * ASC X12 for EDI partners. No maintained npm parser was both strict and correct on the public
 * samples (node-x12 1.7.1 drops ISA13's leading zeros, rejects a sample with a short ISA06, and
 * reports no error for an interchange cut off before its GE/IEA), so this is a small strict
 * tokenizer that honours the separators each ISA declares, envelope validation with X12's own
 * error codes, the 850 reader, and writers for 997, 855, 856 and 810 that are checked by the
 * same reader.
 */
export * from './issues';
export * from './separators';
export * from './tokenizer';
export * from './envelope';
export * from './purchase-order';
export * from './writer';
export * from './functional-ack';
export * from './business-documents';
export * from './document-check';
