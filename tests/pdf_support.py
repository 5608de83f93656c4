"""Getting a PDF that a job draws: the first answer says it is being prepared, the next is it."""

from __future__ import annotations


def get_pdf(client, url: str, **kwargs):
    """GET ``url``; when the PDF was not drawn yet, check the page says so, let the job run,
    and GET it again."""
    from congress.jobs import jobs_of

    response = client.get(url, **kwargs)
    if response.status_code == 202:
        assert 'id="pdf-progress"' in response.get_data(as_text=True)
        jobs_of(client.application).join()
        response = client.get(url, **kwargs)
    return response
