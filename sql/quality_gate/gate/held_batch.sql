-- slot held_batches: identifier
SELECT held.BATCH_ID FROM {held_batches} AS held WHERE held.SOURCE = ? AND held.STREAM = ?
