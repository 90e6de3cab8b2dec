"""Build accessibility graphs from OpenStreetMap data, surveys and elevation models."""
