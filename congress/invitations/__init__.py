"""Letters of invitation for visa purposes.

A delegation's focal point asks for a letter for one of its members, giving the passport
details an embassy reads on it; the congress's organisers approve or refuse the request.
An approved letter is a PDF in the member's language, on the congress's letterhead, with a
reference and a QR code that lead to a public page saying only whether the letter is
genuine. The passport details are kept until :func:`operations.erase_personal_data`.
"""
