def test_the_openapi_schema_and_docs_are_served(cast, client):
    client.force_login(cast.analyst)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/codings/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_renamed_serializers_keep_their_schema_component_names(cast, client):
    client.force_login(cast.analyst)
    schema = client.get("/api/v1/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert {"Passage", "PaginatedPassageList", "SearchPassage"} <= set(components)
    passages = schema["paths"]["/api/v1/meeting-passages/"]["get"]["responses"]["200"]
    assert passages["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PaginatedPassageList"
    )
