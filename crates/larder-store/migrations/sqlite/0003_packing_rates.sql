-- Order lines keep the packing rate that applied when they were packed
-- (per 100 g for kg lines, per piece for piece lines), as they keep their
-- price: later changes of the configuration never reprice existing orders.
ALTER TABLE order_lines ADD COLUMN packing_rate_minor BIGINT NULL CHECK (packing_rate_minor >= 0);
