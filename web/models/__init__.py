"""Request models (pydantic) of the API, sheets and planners: they validate and make the OpenAPI.

``fields``: the shared types (language, profile, area, a profile's settings) and the one
conversion of a failed validation to an error naming its field; ``api``: the JSON API's bodies
and queries; ``pages``: the sheet's and the planners' queries. Import the submodules: this
package imports none, so that the sheet command loads no reports database.
"""
