"""HTML, PDF and PNG made from plain data with Jinja2 and Babel; no Flask app needed."""
