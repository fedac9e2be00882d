/** The batch projector's checkpoint name in the BatchStore, shared with the engines that commit for it. */
export const BATCH_PROJECTOR = 'batch';
