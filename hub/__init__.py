"""The town hall's hub: receives the kiosks' submissions, serves them signed content and
shows the agents what citizens said. See hub/README.md for the API and the guarantees."""
