"""GA sessions as partitions: added by the landing sensor as sessions appear."""

import dagster as dg

ga_session = dg.DynamicPartitionsDefinition(name="ga_session")
